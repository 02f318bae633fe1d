package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display"
)

// testServer runs the real HTTP edge on a bolt store.
func testServer(t *testing.T) *url.URL {
	t.Helper()
	store, err := bolt.Open(filepath.Join(t.TempDir(), "load.db"))
	if err != nil {
		t.Fatal(err)
	}
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	engine, err := controller.Open(controller.Config{Store: store, DefaultShow: show, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := display.New(display.Config{Engine: engine, Store: store, Auth: display.NewAuth("operator-token-1", "button-key-1"), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
		store.Close()
	})
	u, err := url.Parse(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRunAgainstARealServer(t *testing.T) {
	base := testServer(t)
	for i, press := range []bool{false, true, false} {
		reader := "epoll"
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
		for _, want := range []string{"connect: 20 sockets", "server memory per idle socket", "missing: 0", "clock sync: 5 of 5"} {
			if press == false && want == "missing: 0" {
				want = "missing deliveries: 0"
			}
			if !strings.Contains(report, want) {
				t.Errorf("press=%v: the report lacks %q:\n%s", press, want, report)
			}
		}
	}
}
