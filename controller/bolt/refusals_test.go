package bolt_test

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

// clock is a clock the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 4, 14, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After never fires: these tests run no expiry loop.
func (c *clock) After(time.Duration) <-chan time.Time { return nil }

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// openManual opens a store without the background flush: refusals reach
// the disk only with a Commit, Flush or Close.
func openManual(t *testing.T, path string, opt bolt.Options) *bolt.Store {
	t.Helper()
	opt.FlushEvery = -1
	s, err := bolt.OpenWith(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openEngine opens an engine with the default show on s.
func openEngine(t *testing.T, s controller.Store, c controller.Clock) *controller.Engine {
	t.Helper()
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	e, err := controller.Open(controller.Config{Store: s, Clock: c, DefaultShow: show, Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func stats(t *testing.T, s *bolt.Store) bolt.Stats {
	t.Helper()
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// journal is every entry's command id (its type when it has none), and
// whether it was accepted, oldest first.
func journal(t *testing.T, s *bolt.Store) (ids []string, accepted []bool) {
	t.Helper()
	if err := s.Entries(func(e controller.Entry) error {
		ids = append(ids, cmpOr(e.Command.ID, string(e.Command.Type)))
		accepted = append(accepted, e.Answer.Accepted())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids, accepted
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var op = controller.Actor{Role: "operator"}

// refuse sends a command that is refused while the launch is not armed
// (the backup fire) and returns its answer.
func refuse(t *testing.T, e *controller.Engine, id string) controller.Answer {
	t.Helper()
	return refuseCmd(t, e, controller.Command{Type: controller.CmdFire, ID: id})
}

func refuseCmd(t *testing.T, e *controller.Engine, cmd controller.Command) controller.Answer {
	t.Helper()
	res, err := e.Execute(cmd, op)
	if err == nil {
		t.Fatalf("%s %s was accepted", cmd.Type, cmd.ID)
	}
	return res.Answer
}

func accept(t *testing.T, e *controller.Engine, id string) controller.Answer {
	t.Helper()
	res, err := e.Execute(controller.Command{Type: controller.CmdMessage, Text: "Còn 5 phút", ID: id}, op)
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return res.Answer
}

func TestRefusalsWaitForOneTransaction(t *testing.T) {
	s := openManual(t, filepath.Join(t.TempDir(), "show.db"), bolt.Options{})
	e := openEngine(t, s, nil)
	base := stats(t, s).WriteTxs
	for i := range 1000 {
		refuse(t, e, fmt.Sprintf("r%d", i))
	}
	if st := stats(t, s); st.WriteTxs != base || st.PendingRefusals != 1000 || st.Refusals != 1000 || st.JournalEntries != 1001 {
		t.Fatalf("after 1,000 refusals: %+v, want them pending and no write since %d", st, base)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if st := stats(t, s); st.WriteTxs != base+1 || st.PendingRefusals != 0 || st.Refusals != 1000 || st.JournalEntries != 1001 || st.Answers != 1000 {
		t.Fatalf("after the flush: %+v, want one write for all", st)
	}
	ids, _ := journal(t, s)
	if len(ids) != 1001 || ids[0] != "load-show" || ids[1] != "r0" || ids[1000] != "r999" {
		t.Fatalf("journal %v…, want load-show then r0…r999", ids[:3])
	}
}

// A retry of a refused command id is told its first answer, whether the
// refusal is still pending, on disk, or read after reopening, even when
// the command would now be accepted; it is not journalled again.
func TestRetryOfARefusalIsToldTheSame(t *testing.T) {
	for _, when := range []string{"pending", "flushed", "reopened"} {
		t.Run(when, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "show.db")
			s := openManual(t, path, bolt.Options{})
			e := openEngine(t, s, nil)
			clear := controller.Command{Type: controller.CmdClearMsg, ID: "x"} // no message to clear
			first := refuseCmd(t, e, clear)
			if first.Error == nil {
				t.Fatalf("first answer %+v", first)
			}
			switch when {
			case "flushed":
				accept(t, e, "m1") // a message now exists: clearing it would be accepted
			case "reopened":
				accept(t, e, "m1")
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				s = openManual(t, path, bolt.Options{})
				e = openEngine(t, s, nil)
			}
			if got := stats(t, s).PendingRefusals; (got == 1) != (when == "pending") {
				t.Fatalf("%d refusals pending", got)
			}
			again := refuseCmd(t, e, clear)
			if again.Seq != first.Seq || *again.Error != *first.Error {
				t.Errorf("retry told %+v %+v, first %+v %+v", again, again.Error, first, first.Error)
			}
			if n := stats(t, s).Refusals; n != 1 {
				t.Errorf("%d refusals journalled, want the first alone", n)
			}
		})
	}
}

// A crash leaves the file as the last transaction did: every accepted
// command, the refusals an accepted command took along, none of the
// refusals still pending.
func TestCrashLosesOnlyPendingRefusals(t *testing.T) {
	dir := t.TempDir()
	s := openManual(t, filepath.Join(dir, "show.db"), bolt.Options{})
	e := openEngine(t, s, nil)
	refuse(t, e, "r1")
	refuse(t, e, "r2")
	want := accept(t, e, "a1")
	refuse(t, e, "r3")
	state := e.Snapshot().State

	crashed := filepath.Join(dir, "crashed.db")
	copyFile(t, s.Path(), crashed) // what is on disk, while the store is still open

	s2 := openManual(t, crashed, bolt.Options{})
	ids, accepted := journal(t, s2)
	if !slices.Equal(ids, []string{"load-show", "r1", "r2", "a1"}) || !slices.Equal(accepted, []bool{true, false, false, true}) {
		t.Fatalf("journal after the crash %v %v, want load-show r1 r2 a1 (r3 was pending)", ids, accepted)
	}
	if a, ok, err := s2.Answer("a1"); err != nil || !ok || a.Seq != want.Seq {
		t.Errorf("the accepted command's answer after the crash: %+v %v %v", a, ok, err)
	}
	if _, ok, _ := s2.Answer("r3"); ok {
		t.Error("a pending refusal survived the crash")
	}
	e2 := openEngine(t, s2, nil)
	if got := e2.Snapshot().State; got.Seq != state.Seq || got.Message != state.Message {
		t.Errorf("state after the crash %+v, want %+v", got, state)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// Only the most recent refusals are kept, by count and by age, with their
// answers; accepted commands are kept whole whatever their age.
func TestRefusalsArePruned(t *testing.T) {
	tests := []struct {
		name string
		// steps: "r…" refuses, "a…" accepts, "+1h" advances the clock,
		// "flush" flushes, "reopen" closes and opens the store again.
		steps   []string
		journal []string // ids after a final flush
		gone    []string // refusals whose answers were deleted
	}{
		{
			name:    "the newest by count",
			steps:   []string{"r1", "r2", "a1", "r3", "r4", "r5", "r6", "a2", "r7"},
			journal: []string{"load-show", "a1", "r3", "r4", "r5", "r6", "a2", "r7"},
			gone:    []string{"r1", "r2"},
		},
		{
			name:    "none older than the age",
			steps:   []string{"r1", "a1", "+1h", "r2", "+1h", "r3", "+1h"},
			journal: []string{"load-show", "a1", "r3"},
			gone:    []string{"r1", "r2"},
		},
		{
			name:    "aged out with nothing pending",
			steps:   []string{"r1", "r2", "flush", "+3h"},
			journal: []string{"load-show"},
			gone:    []string{"r1", "r2"},
		},
		{
			name:    "pruned when opened",
			steps:   []string{"r1", "r2", "flush", "reopen-keep-1"},
			journal: []string{"load-show", "r2"},
			gone:    []string{"r1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "show.db")
			c := newClock()
			opt := bolt.Options{Now: c.Now, KeepRefusals: 5, RefusalMaxAge: 90 * time.Minute}
			s := openManual(t, path, opt)
			e := openEngine(t, s, c)
			message := false
			for _, step := range tt.steps {
				switch {
				case step == "+1h", step == "+3h":
					d, _ := time.ParseDuration(step[1:])
					c.Advance(d)
				case step == "flush":
					if err := s.Flush(); err != nil {
						t.Fatal(err)
					}
				case step == "reopen-keep-1":
					if err := s.Close(); err != nil {
						t.Fatal(err)
					}
					opt.KeepRefusals = 1
					s = openManual(t, path, opt)
					e = openEngine(t, s, c)
				case step[0] == 'a':
					typ := controller.CmdMessage
					if message {
						typ = controller.CmdClearMsg
					}
					if _, err := e.Execute(controller.Command{Type: typ, Text: "Còn 5 phút", ID: step}, op); err != nil {
						t.Fatalf("%s: %v", step, err)
					}
					message = !message
				default:
					refuse(t, e, step)
				}
			}
			if err := s.Flush(); err != nil {
				t.Fatal(err)
			}
			if ids, _ := journal(t, s); !slices.Equal(ids, tt.journal) {
				t.Errorf("journal %v, want %v", ids, tt.journal)
			}
			for _, id := range tt.gone {
				if a, ok, err := s.Answer(id); err != nil || ok {
					t.Errorf("the answer of pruned %s is still there: %+v %v", id, a, err)
				}
			}
			for _, id := range tt.journal[1:] {
				if _, ok, err := s.Answer(id); err != nil || !ok {
					t.Errorf("the answer of kept %s is gone (%v)", id, err)
				}
			}
			var refused int
			for _, id := range tt.journal {
				if id[0] == 'r' {
					refused++
				}
			}
			if st := stats(t, s); st.Refusals != refused || st.JournalEntries != len(tt.journal) || st.Answers != len(tt.journal)-1 {
				t.Errorf("stats %+v, want %d refusals of %d entries", st, refused, len(tt.journal))
			}
		})
	}
}

// A retry of a pruned refusal's id is decided afresh.
func TestPrunedRefusalIsDecidedAfresh(t *testing.T) {
	c := newClock()
	s := openManual(t, filepath.Join(t.TempDir(), "show.db"), bolt.Options{Now: c.Now, RefusalMaxAge: time.Hour})
	e := openEngine(t, s, c)
	refuseCmd(t, e, controller.Command{Type: controller.CmdClearMsg, ID: "x"})
	accept(t, e, "m1")
	c.Advance(2 * time.Hour)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	res, err := e.Execute(controller.Command{Type: controller.CmdClearMsg, ID: "x"}, op)
	if err != nil || !res.Answer.Accepted() {
		t.Fatalf("retry of a forgotten refusal: %+v %v, want it accepted now", res.Answer, err)
	}
}

// The background flush writes a full batch without waiting for its tick.
func TestFullBatchIsFlushedAtOnce(t *testing.T) {
	s, err := bolt.OpenWith(filepath.Join(t.TempDir(), "show.db"), bolt.Options{FlushEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := openEngine(t, s, nil)
	for i := range 300 {
		refuse(t, e, fmt.Sprintf("r%d", i))
	}
	giveUp := time.Now().Add(10 * time.Second) // a hang guard, not a speed figure
	for stats(t, s).PendingRefusals >= 256 {
		if time.Now().After(giveUp) {
			t.Fatalf("a full batch was not flushed: %+v", stats(t, s))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRefuseAfterClose(t *testing.T) {
	s, err := bolt.OpenWith(filepath.Join(t.TempDir(), "show.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if err := s.Refuse(controller.Entry{Command: controller.Command{Type: controller.CmdFire}}); err != bolt.ErrClosed {
		t.Errorf("refuse after close: %v, want ErrClosed", err)
	}
}
