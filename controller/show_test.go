package controller_test

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/phatdong/phatdong/controller"
)

func TestParseShowRefusesInvalidFiles(t *testing.T) {
	seg := func(extra string) string {
		return `{"id":"a","title":"Một","kind":"speech","durationSec":60` + extra + `}`
	}
	wrap := func(segments string) string {
		return `{"format":"phatdong-show","version":1,"title":"Lễ","segments":[` + segments + `]}`
	}
	many := make([]string, controller.MaxSegments+1)
	for i := range many {
		many[i] = strings.Replace(seg(""), `"a"`, `"s`+strings.Repeat("x", i%3)+string(rune('a'+i%26))+`-`+itoa(i)+`"`, 1)
	}
	tests := []struct {
		name, file, field string
	}{
		{"bad JSON", `{"format":`, ""},
		{"not an object", `[1,2]`, ""},
		{"unknown version", `{"format":"phatdong-show","version":9,"title":"x","segments":[` + seg("") + `]}`, "version"},
		{"unknown field", `{"format":"phatdong-show","version":1,"title":"x","colour":"red","segments":[` + seg("") + `]}`, "colour"},
		{"a name in another case", `{"format":"phatdong-show","version":1,"Title":"x","segments":[` + seg("") + `]}`, "Title"},
		{"a name twice", `{"format":"phatdong-show","version":1,"title":"x","title":"y","segments":[` + seg("") + `]}`, "title"},
		{"invalid UTF-8", "{\"format\":\"phatdong-show\",\"version\":1,\"title\":\"L\xe1\",\"segments\":[" + seg("") + "]}", "title"},
		{"a lone surrogate", wrap(`{"id":"a","title":"M\udc00t","durationSec":5}`), "segments[0].title"},
		{"a control character", wrap(`{"id":"a","title":"Một\u001bhai","durationSec":5}`), "segments[0].title"},
		{"a line break in a title", wrap(`{"id":"a","title":"Một\nhai","durationSec":5}`), "segments[0].title"},
		{"trailing data", wrap(seg("")) + ` {}`, ""},
		{"empty title", `{"format":"phatdong-show","version":1,"title":"  ","segments":[` + seg("") + `]}`, "title"},
		{"no segments", wrap(""), "segments"},
		{"duplicate ids", wrap(seg("") + "," + seg("")), "segments[1].id"},
		{"negative duration", wrap(`{"id":"a","title":"Một","durationSec":-5}`), "segments[0].durationSec"},
		{"empty segment title", wrap(`{"id":"a","title":"","durationSec":5}`), "segments[0].title"},
		{"unknown kind", wrap(seg(`,"kind":"dance"`)), ""},
		{"bad id", wrap(`{"id":"Có dấu","title":"Một","durationSec":5}`), "segments[0].id"},
		{"danger above warn", wrap(seg(`,"warnSec":10,"dangerSec":20`)), "segments[0].dangerSec"},
		{"title too long", wrap(`{"id":"a","title":"` + strings.Repeat("ă", controller.MaxTitleLen+1) + `","durationSec":5}`), "segments[0].title"},
		{"too many segments", wrap(strings.Join(many, ",")), "segments"},
		{"wrong type", wrap(`{"id":"a","title":"Một","durationSec":"ten"}`), "segments[0].durationSec"},
		{"bad lead", `{"format":"phatdong-show","version":1,"title":"x","launch":{"leadMs":1},"segments":[` + seg("") + `]}`, "launch.leadMs"},
		{"bad date", `{"format":"phatdong-show","version":1,"title":"x","date":"14/4/2025","segments":[` + seg("") + `]}`, "date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := controller.ParseShow([]byte(tc.file))
			if controller.ErrorCode(err) != controller.EINVALID {
				t.Fatalf("err = %v, want invalid", err)
			}
			var e *controller.Error
			e, _ = err.(*controller.Error)
			if tc.field != "" && e.Field != tc.field {
				t.Fatalf("field = %q, want %q (%v)", e.Field, tc.field, err)
			}
		})
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func TestParseShowNormalizesToNFC(t *testing.T) {
	decomposed := norm.NFD.String("Phát động")
	s, err := controller.ParseShow([]byte(`{"format":"phatdong-show","version":1,"title":"` + decomposed + `","segments":[{"id":"a","title":"` + decomposed + `","durationSec":60}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Phát động" || !norm.NFC.IsNormalString(s.Segments[0].Title) {
		t.Fatalf("title %q is not NFC", s.Title)
	}
	if g := s.Segments[0]; g.Kind != controller.KindOther || g.OnZero != controller.OnZeroOvertime || g.WarnSec != 15 || g.DangerSec != 6 {
		t.Fatalf("defaults not filled: %+v", g)
	}
}

func TestDefaultShowFollowsThePlan(t *testing.T) {
	s, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		title string
		kind  controller.Kind
	}{
		{"Đón tiếp đại biểu", controller.KindWelcome},
		{"Văn nghệ chào mừng", controller.KindPerformance},
		{"Tuyên bố lý do, giới thiệu đại biểu", controller.KindSpeech},
		{"Chiếu phóng sự tổng quan về Chuyển đổi số", controller.KindVideo},
		{"Phát biểu chỉ đạo và phát động phong trào của Lãnh đạo UBND tỉnh", controller.KindSpeech},
		{"Phát biểu hưởng ứng phong trào của Tỉnh Đoàn", controller.KindSpeech},
		{"Bấm nút phát động phong trào «Bình dân học vụ số»", controller.KindLaunch},
		{"Kết thúc Lễ phát động", controller.KindClosing},
		{"Triển khai tập huấn kỹ năng số, AI", controller.KindOther},
	}
	if len(s.Segments) != len(want) {
		t.Fatalf("%d segments, want %d", len(s.Segments), len(want))
	}
	for i, w := range want {
		if g := s.Segments[i]; g.Title != w.title || g.Kind != w.kind {
			t.Errorf("segment %d = %q (%s), want %q (%s)", i, g.Title, g.Kind, w.title, w.kind)
		}
	}
	if d := s.Segments[1].DurationSec; d > 15*60 {
		t.Errorf("văn nghệ planned %d s, the plan allows at most 15 min", d)
	}
	if d := s.Segments[3].DurationSec; d < 8*60 || d > 10*60 {
		t.Errorf("phóng sự planned %d s, the plan says 8–10 min", d)
	}
	if !strings.Contains(s.Venue, "Trung tâm Chính trị thành phố Đồng Xoài") || !strings.Contains(s.Title, "Bình dân học vụ số") {
		t.Errorf("title %q venue %q", s.Title, s.Venue)
	}
	if !norm.NFC.IsNormalString(s.Title + s.Venue + s.Launch.Caption) {
		t.Error("default show text is not NFC")
	}
}

func TestShowRoundTrip(t *testing.T) {
	s, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	data, err := s.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	back, err := controller.ParseShow(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Title != s.Title || len(back.Segments) != len(s.Segments) || back.Segments[2].Notes != s.Segments[2].Notes {
		t.Fatal("export then import changed the show")
	}
}
