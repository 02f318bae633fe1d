package protocol

import (
	"encoding/json"
	"testing"
)

// TestLEDTestShape encodes the LED test as docs/protocol.md shows it.
func TestLEDTestShape(t *testing.T) {
	b, err := json.Marshal(LEDTestMsg{Type: TypeLEDTest, Hz: LEDTestHz, DurationMs: LEDTestDurationMs})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"type":"ledtest","hz":8,"durationMs":2000}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}
