package clocksync

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

func TestSampleOffsetAndRTT(t *testing.T) {
	tests := []struct {
		name        string
		s           Sample
		offset, rtt float64
	}{
		{"same clocks, 10 ms each way", Sample{1000, 1010, 1012, 1022}, 0, 20},
		{"server 5 s ahead", Sample{1000, 6010, 6012, 1022}, 5000, 20},
		{"server 5 s behind", Sample{1000, -3990, -3988, 1022}, -5000, 20},
		{"lopsided: 30 ms up, 10 ms down", Sample{1000, 1030, 1030, 1040}, 10, 40},
		{"instant", Sample{5, 7, 7, 5}, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Offset(); got != tt.offset {
				t.Errorf("Offset = %v, want %v", got, tt.offset)
			}
			if got := tt.s.RTT(); got != tt.rtt {
				t.Errorf("RTT = %v, want %v", got, tt.rtt)
			}
			if err := tt.s.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestSampleValidate(t *testing.T) {
	tests := []struct {
		name string
		s    Sample
	}{
		{"NaN", Sample{1000, math.NaN(), 1001, 1002}},
		{"infinite", Sample{1000, 1001, math.Inf(1), 1002}},
		{"received before sent", Sample{1000, 1001, 1001, 999}},
		{"answered before received", Sample{1000, 1002, 1001, 1003}},
		{"server held it longer than the round trip", Sample{1000, 1001, 1010, 1005}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if !errors.Is(err, ErrInvalidSample) {
				t.Fatalf("Validate = %v, want ErrInvalidSample", err)
			}
			e := NewEstimator(0)
			if err := e.Add(tt.s); !errors.Is(err, ErrInvalidSample) {
				t.Errorf("Add = %v, want ErrInvalidSample", err)
			}
			if e.Count() != 0 {
				t.Errorf("Count = %d after a rejected sample", e.Count())
			}
		})
	}
}

func TestStamp(t *testing.T) {
	at := time.Date(2026, 3, 1, 20, 0, 0, 123456789, time.UTC)
	want := float64(at.UnixMilli()) + 0.456789
	if got := Stamp(at); math.Abs(got-want) > 1e-6 {
		t.Errorf("Stamp = %.6f, want %.6f", got, want)
	}
}

func TestAnswer(t *testing.T) {
	var req protocol.TimeMsg
	if err := json.Unmarshal([]byte(`{"type":"time","t0":1760000000000.25}`), &req); err != nil {
		t.Fatal(err)
	}
	received := time.UnixMilli(1760000005000)
	ans := Answer(req.T0, received, received.Add(250*time.Microsecond))
	b, err := json.Marshal(ans)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"type":"time","t0":1760000000000.25,"t1":1760000005000,"t2":1760000005000.25}`
	if string(b) != want {
		t.Errorf("answer = %s, want %s", b, want)
	}
	s := SampleOf(ans, 1760000000010.25)
	if s.Offset() != 4994.875 || s.RTT() != 9.75 {
		t.Errorf("sample offset %v rtt %v, want 4994.875, 9.75", s.Offset(), s.RTT())
	}
}
