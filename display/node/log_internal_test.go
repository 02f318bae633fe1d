package node

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestTheSameErrorIsLoggedOnceInAWhile(t *testing.T) {
	var out bytes.Buffer
	l := &slogLogger{log: slog.New(slog.NewTextHandler(&out, nil))}
	for attempt := 1; attempt <= 5; attempt++ {
		l.Errorf("Error trying to connect as leafnode to remote server %q (attempt %v): %v", "10.0.0.1:7422", attempt, "connection refused")
	}
	l.Errorf("another error %d", 1)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "attempt 1") || !strings.Contains(lines[1], "another error 1") {
		t.Fatalf("logged:\n%s\nwant the first connect error and the other error only", out.String())
	}
}
