package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Console records the errors that one tab writes to its console: uncaught
// exceptions and unhandled rejections, console.error and failed
// console.assert calls, and the browser's own error entries, such as a
// script or module that failed to load. Warnings and logs are not errors,
// and neither is a missing /favicon.ico, which the browser asks for by
// itself.
// It is safe for concurrent use.
type Console struct {
	mu   sync.Mutex
	errs []string
}

// WatchConsole starts recording the console errors of tab, a context from
// NewTab. Call it before navigating: messages written earlier are lost. An
// error is recorded before the command that caused it returns, so Check
// right after an action sees it.
func WatchConsole(t testing.TB, tab context.Context) *Console {
	t.Helper()
	c := &Console{}
	if err := chromedp.Listen(tab, c.record); err != nil {
		t.Fatalf("browsertest: watching the console: %v", err)
	}
	return c
}

// record runs on the tab's reading goroutine: it must return at once.
func (c *Console) record(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = exceptionText(ev.ExceptionDetails)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		msg = "console." + string(ev.Type) + ": " + argsText(ev.Args)
	case *log.EventEntryAdded:
		if ev.Entry == nil || ev.Entry.Level != log.EntryLevelError || isFavicon(ev.Entry.URL) {
			return
		}
		msg = fmt.Sprintf("%s error: %s", ev.Entry.Source, ev.Entry.Text)
		if ev.Entry.URL != "" {
			msg += " (" + ev.Entry.URL + ")"
		}
	default:
		return
	}
	c.mu.Lock()
	c.errs = append(c.errs, msg)
	c.mu.Unlock()
}

// Errors returns the errors recorded so far, oldest first.
func (c *Console) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errs...)
}

// Check fails the test with every error recorded so far: a page under test
// must keep its console free of errors.
func (c *Console) Check(t testing.TB) {
	t.Helper()
	for _, e := range c.Errors() {
		t.Errorf("console error: %s", e)
	}
}

// isFavicon reports whether raw is the URL of the icon that the browser asks
// for by itself; a test server need not serve one.
func isFavicon(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Path == "/favicon.ico"
}

// exceptionText is the error, its message and where it was thrown.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "exception"
	}
	text := d.Text
	if d.Exception != nil {
		// The description of an Error holds its stack after the first line.
		first, _, _ := strings.Cut(objectText(d.Exception), "\n")
		text += " " + first
	}
	where := d.URL
	if where == "" && d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
		where = d.StackTrace.CallFrames[0].URL
	}
	if where != "" {
		// The protocol counts lines from 0; editors count from 1.
		text += fmt.Sprintf(" (%s:%d:%d)", where, d.LineNumber+1, d.ColumnNumber+1)
	}
	return text
}

// argsText joins the arguments of a console call as the console shows them,
// without applying format directives.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		parts = append(parts, objectText(a))
	}
	return strings.Join(parts, " ")
}

// objectText is a short text for a value: a string as it is, a primitive as
// JSON, an object by its description.
func objectText(o *runtime.RemoteObject) string {
	if len(o.Value) > 0 {
		var s string
		if o.Type == runtime.RemoteObjectTypeString && json.Unmarshal(o.Value, &s) == nil {
			return s
		}
		return string(o.Value)
	}
	switch {
	case o.UnserializableValue != "":
		return string(o.UnserializableValue)
	case o.Description != "":
		return o.Description
	}
	return string(o.Type)
}
