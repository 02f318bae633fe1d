package main

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/displaytest"
)

// testServer runs the real HTTP edge on a bolt store.
func testServer(t *testing.T) *url.URL {
	t.Helper()
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: "operator-token-1", ButtonKey: "button-key-1"})
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRunAgainstARealServer(t *testing.T) {
	base := testServer(t)
	for i, press := range []bool{false, true, false} {
		reader := defaultReader
		if i == 2 {
			reader = "goroutine"
		}
		cfg := config{reader: reader,
			base: base, clients: 20, changes: 4, presses: 2, token: "operator-token-1", buttonKey: "button-key-1",
			press: press, syncClients: 5, syncInterval: time.Second, settle: 400 * time.Millisecond, procs: 1, timeout: 5 * time.Second,
		}
		var out bytes.Buffer
		if err := run(context.Background(), cfg, &out); err != nil {
			t.Fatalf("press=%v: %v\n%s", press, err, out.String())
		}
		report := out.String()
		wants := []string{"connect: 20 sockets", "server memory per idle socket", "missing: 0", "clock sync: 5 of 5"}
		if reader == "epoll" && !press {
			wants = append(wants, "server publish → in socket")
		}
		for _, want := range wants {
			if press == false && want == "missing: 0" {
				want = "missing deliveries: 0"
			}
			if !strings.Contains(report, want) {
				t.Errorf("press=%v: the report lacks %q:\n%s", press, want, report)
			}
		}
	}
}
