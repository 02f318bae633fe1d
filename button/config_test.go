package button

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings of the error; none means valid
	}{
		{name: "zero takes the defaults", cfg: Config{}},
		{name: "defaults", cfg: DefaultConfig()},
		{name: "custom", cfg: Config{Filter: 10 * ms, Lockout: time.Second, StuckAfter: 2 * time.Second, Poll: 50 * ms}},
		{name: "negative filter", cfg: Config{Filter: -1}, want: []string{"Filter is -1ns: it must not be negative"}},
		{name: "every field negative", cfg: Config{Filter: -1, Lockout: -1, StuckAfter: -1, Poll: -1},
			want: []string{"Filter", "Lockout", "StuckAfter", "Poll"}},
		{name: "filter too long", cfg: Config{Filter: 80 * ms}, want: []string{"Filter is 80ms: it must be at most 50ms"}},
		{name: "poll too long", cfg: Config{Poll: 2 * time.Second}, want: []string{"Poll is 2s"}},
		{name: "stuck not after lockout", cfg: Config{StuckAfter: 300 * ms},
			want: []string{"StuckAfter is 300ms: it must be longer than Lockout (300ms)"}},
		{name: "stuck not after filter", cfg: Config{Filter: 20 * ms, Lockout: ms, StuckAfter: 10 * ms},
			want: []string{"StuckAfter is 10ms"}},
		{name: "two problems at once", cfg: Config{Filter: time.Second, Poll: time.Minute},
			want: []string{"Filter is 1s", "Poll is 1m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error with %q", tt.want)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "button: config: ") {
					t.Errorf("error line %q lacks the button: config: prefix", line)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
			if _, err := NewInput(&scriptPin{}, tt.cfg); err == nil {
				t.Error("NewInput accepted the config")
			}
		})
	}
}

func TestNewInputFillsDefaults(t *testing.T) {
	in, err := NewInput(&scriptPin{}, Config{Lockout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig()
	want.Lockout = time.Second
	if got := in.Config(); got != want {
		t.Errorf("Config() = %+v, want %+v", got, want)
	}
}
