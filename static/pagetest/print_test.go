package pagetest

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/static/browsertest"
)

// pdfTool runs a poppler tool on a PDF file and returns what it prints,
// its whitespace folded to single spaces.
func pdfTool(t *testing.T, tool string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", tool, args, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// The run sheet (issue #18, item 5): /print printed to PDF by headless
// Chromium at the page's own paper size is A4, and its text holds every
// segment's title and planned clock time, the speakers, the MC's notes and
// the launch steps.
func TestPrintRunSheetIsA4WithTheRundown(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	pr := open(t, browser, s.URL+"/print", 1000, 1400)
	pr.wait(`document.body.dataset.ready === "true"`, 10*time.Second, `document.getElementById("pr-status").textContent`)
	if st := pr.text("pr-status"); st != "Kịch bản đã sẵn sàng để in." {
		t.Fatalf("status %q", st)
	}
	data, err := chromedp.Run(pr.ctx, chromedp.PrintToPDF(func(p *cdppage.PrintToPDFParams) { v := true; p.PreferCSSPageSize = &v }))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "kich-ban.pdf")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	info := pdfTool(t, "pdfinfo", file)
	// A4 is 210 × 297 mm, 595.28 × 841.89 pt; Chromium rounds to its
	// pixel grid, well within a point.
	size := regexp.MustCompile(`Page size: ([0-9.]+) x ([0-9.]+) pts \(A4\)`).FindStringSubmatch(info)
	if size == nil || math.Abs(atof(t, size[1])-595.28) > 1 || math.Abs(atof(t, size[2])-841.89) > 1 {
		t.Errorf("pdfinfo: not A4 portrait: %s", info)
	}
	pages := regexp.MustCompile(`Pages: (\d+)`).FindStringSubmatch(info)
	text := pdfTool(t, "pdftotext", "-enc", "UTF-8", file, "-")
	show := s.engine.Snapshot().Show
	want := []string{show.Title, "07:30", "Giờ", "Người thực hiện", "Ghi chú cho MC", "Các bước phát động",
		"Kích hoạt nút phát động", "Dự phòng", "Bắt đầu 07:30"}
	at := 7*60 + 30
	for _, g := range show.Segments {
		want = append(want, g.Title, g.Speaker, strings.Fields(g.Notes)[0], clockText(at))
		at += g.DurationSec / 60
	}
	for _, w := range want {
		if !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("pdftotext: %s", text)
	}
	t.Logf("run sheet: %s pages of A4, %d bytes of PDF", pages[1], len(data))
	pr.checkConsole()
}

// clockText writes minutes since midnight as HH:MM.
func clockText(min int) string {
	return time.Date(2000, 1, 1, min/60, min%60, 0, 0, time.UTC).Format("15:04")
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
