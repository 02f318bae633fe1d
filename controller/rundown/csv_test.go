package rundown

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
)

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"comma with BOM, CRLF", "\uFEFFSTT,Nội dung,Thời lượng\r\n1,Văn nghệ chào mừng,15:00\r\n"},
		{"semicolon", "STT;Nội dung;Thời lượng\n1;Văn nghệ chào mừng;15 phút\n"},
		{"tab", "STT\tNội dung\tThời lượng\n1\tVăn nghệ chào mừng\t15\n"},
		{"quoted comma", "Nội dung,Thời lượng\n\"Văn nghệ chào mừng\",\"15,0\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ReadCSV(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if err := tab.Err(); err != nil {
				t.Fatal(err)
			}
			if g := tab.Lines[0].Segment; g.Title != "Văn nghệ chào mừng" || g.DurationSec != 900 {
				t.Errorf("segment = %+v", g)
			}
		})
	}
}

func TestReadCSVRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"not UTF-8 (Windows-1258)": "N\xf4i dung,Th\xf2i l\xfd\xf4ng\n",
	} {
		if _, err := ReadCSV(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestShowRowsRoundTrip: an exported show reads back as the same programme.
func TestShowRowsRoundTrip(t *testing.T) {
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, ShowRows(show)); err != nil {
		t.Fatal(err)
	}
	tab, err := ReadCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Err(); err != nil {
		t.Fatal(err)
	}
	got, err := Apply(show, tab.Segments())
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range show.Segments {
		h := got.Segments[i]
		if h.Title != g.Title || h.DurationSec != g.DurationSec || h.Kind != g.Kind || h.Speaker != g.Speaker || h.Notes != g.Notes {
			t.Errorf("segment %d: %+v, want %+v", i, h, g)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("\uFEFFSTT,Nội dung,Thời lượng,Loại\r\n1,Văn nghệ,15:00,Văn nghệ\r\n2,x,1h30,\r\n"))
	f.Add([]byte("Nội dung;Thời lượng\n\"a\"\"b\";7,5\n"))
	f.Add([]byte("Nội dung\tThời lượng\tGhi chú\n\t\t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(tab.Lines) > controller.MaxSegments {
			t.Fatalf("%d lines", len(tab.Lines))
		}
		if len(tab.Errors) > 0 {
			return
		}
		for _, l := range tab.Lines {
			g := l.Segment
			if g.DurationSec <= 0 || g.DurationSec > controller.MaxSegmentSec || g.Title == "" || !g.Kind.Valid() {
				t.Fatalf("row %d accepted as %+v", l.Row, g)
			}
		}
		base := &controller.Show{Format: controller.ShowFormat, Version: controller.ShowVersion, Title: "T"}
		if _, err := Apply(base, tab.Segments()); err != nil {
			t.Fatalf("a table without errors makes an invalid show: %v", err)
		}
	})
}

// TestApplyKeepsSegments: a row titled as a segment of the show takes its
// id, so its film and the segment on stage carry over; the rest of the
// show stays.
func TestApplyKeepsSegments(t *testing.T) {
	base := &controller.Show{Format: controller.ShowFormat, Version: controller.ShowVersion, Title: "Lễ",
		Launch: controller.LaunchSet{RequiredPresses: 2, WindowMs: 3000, LeadMs: 300},
		Segments: []controller.Segment{
			{ID: "van-nghe", Title: "Văn nghệ chào mừng", Kind: controller.KindPerformance, DurationSec: 900, OnZero: controller.OnZeroHold},
			{ID: "x", Title: "Phát biểu", Kind: controller.KindSpeech, DurationSec: 300, WarnSec: 100, DangerSec: 20},
		}}
	tab := Parse([][]string{
		{"Nội dung", "Thời lượng"},
		{"VĂN NGHỆ CHÀO MỪNG", "10"},
		{"Phát biểu", "5"},
		{"Phát biểu", "6"},
		{"Mới", "2"},
	})
	if err := tab.Err(); err != nil {
		t.Fatal(err)
	}
	s, err := Apply(base, tab.Segments())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range s.Segments {
		ids = append(ids, g.ID)
	}
	if strings.Join(ids, ",") != "van-nghe,x,phat-bieu-2,moi" {
		t.Errorf("ids %v", ids)
	}
	if g := s.Segments[0]; g.OnZero != controller.OnZeroHold || g.DurationSec != 600 || g.Title != "VĂN NGHỆ CHÀO MỪNG" {
		t.Errorf("kept segment %+v", g)
	}
	if g := s.Segments[1]; g.WarnSec != 100 || g.DangerSec != 20 {
		t.Errorf("same duration keeps thresholds: %+v", g)
	}
	if s.Title != "Lễ" || !reflect.DeepEqual(s.Launch, base.Launch) || base.Segments[0].DurationSec != 900 {
		t.Errorf("show %+v, base changed: %+v", s, base.Segments[0])
	}
}
