package display

import (
	"testing"
	"time"
)

func TestAuthSecrets(t *testing.T) {
	a := NewAuth("op-token", "btn-key")
	tests := []struct {
		name     string
		check    func(string) bool
		in       string
		expected bool
	}{
		{"operator right", a.Operator, "op-token", true},
		{"operator wrong", a.Operator, "op-tokem", false},
		{"operator prefix", a.Operator, "op-toke", false},
		{"operator empty", a.Operator, "", false},
		{"operator is not the button", a.Button, "op-token", false},
		{"button right", a.Button, "btn-key", true},
		{"button is not the operator", a.Operator, "btn-key", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.check(tt.in); got != tt.expected {
				t.Fatalf("got %v, want %v", got, tt.expected)
			}
		})
	}
	empty := NewAuth("", "")
	if empty.Operator("") || empty.Button("") {
		t.Fatal("an empty secret must never match")
	}
}

func TestAuthLimiter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	a := NewAuth("op", "btn")
	a.Now = func() time.Time { return now }

	for i := 0; i < a.MaxFailures-1; i++ {
		a.Failed("10.0.0.1")
	}
	if !a.Allowed("10.0.0.1") {
		t.Fatal("blocked before the limit")
	}
	a.Failed("10.0.0.1")
	if a.Allowed("10.0.0.1") {
		t.Fatal("not blocked at the limit")
	}
	if !a.Allowed("10.0.0.2") {
		t.Fatal("another address is blocked too")
	}
	now = now.Add(a.BlockFor - time.Second)
	if a.Allowed("10.0.0.1") {
		t.Fatal("unblocked too early")
	}
	now = now.Add(time.Second)
	if !a.Allowed("10.0.0.1") {
		t.Fatal("still blocked after BlockFor")
	}
	a.Failed("10.0.0.1")
	if !a.Allowed("10.0.0.1") {
		t.Fatal("one failure after a block blocks again")
	}

	// Failures spread wider than the window never block.
	for i := 0; i < 3*a.MaxFailures; i++ {
		a.Failed("10.0.0.3")
		now = now.Add(a.FailWindow / 5)
		if !a.Allowed("10.0.0.3") {
			t.Fatalf("blocked after %d slow failures", i+1)
		}
	}
}
