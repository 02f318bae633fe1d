package pagetest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// The choice of link-servers.js: where a page of a pair goes, from what it
// knows of the servers (records), the server it is on and the highest
// epoch it has taken.
func TestFollowChoice(t *testing.T) {
	tab := openModule(t, "link-servers.js")
	const (
		a = `{urls: ["http://a:8080"], role: "primary", epoch: 0, ok: true}`
		b = `{urls: ["http://b:8080", "http://b2:8080"], role: "standby", epoch: 0, ok: true}`
	)
	for _, tc := range []struct {
		name      string
		servers   string // a JavaScript array of records
		current   string
		epochSeen int
		want      string // "" for null
	}{
		{"on the primary, the standby at the same epoch: stay", `[` + a + `, ` + b + `]`, "http://a:8080", 0, ""},
		{"on the standby, the primary reachable: go", `[` + a + `, ` + b + `]`, "http://b:8080", 0, "http://a:8080"},
		{"on the standby by its second URL", `[` + a + `, ` + b + `]`, "http://b2:8080", 0, "http://a:8080"},
		{"the standby took over: a primary one epoch up", `[` + a + `, {urls: ["http://b:8080"], role: "primary", epoch: 1, ok: true}]`, "http://a:8080", 0, "http://b:8080"},
		{"the new primary is not heard (not ok): stay", `[` + a + `, {urls: ["http://b:8080"], role: "primary", epoch: 1, ok: false}]`, "http://a:8080", 0, ""},
		{"an old primary back at a lower epoch: stay on the new", `[{urls: ["http://a:8080"], role: "primary", epoch: 0, ok: true}, {urls: ["http://b:8080"], role: "primary", epoch: 1, ok: true}]`, "http://b:8080", 1, ""},
		{"never to a primary below the epoch seen, even from a standby", `[{urls: ["http://a:8080"], role: "primary", epoch: 0, ok: true}, {urls: ["http://b:8080"], role: "standby", epoch: 1, ok: true}]`, "http://b:8080", 1, ""},
		{"the current server stale: to the primary of the epoch seen", `[{urls: ["http://a:8080"], role: "primary", epoch: 0, ok: true}, {urls: ["http://b:8080"], role: "primary", epoch: 1, ok: true}]`, "http://a:8080", 1, "http://b:8080"},
		{"the current server unknown: to the primary", `[` + a + `, ` + b + `]`, "http://c:8080", 0, "http://a:8080"},
		{"on none: to the primary", `[` + a + `, ` + b + `]`, "", 0, "http://a:8080"},
		{"the current primary unheard (not ok), the other primary at the same epoch: go", `[{urls: ["http://a:8080"], role: "primary", epoch: 1, ok: false}, {urls: ["http://b:8080"], role: "primary", epoch: 1, ok: true}]`, "http://a:8080", 1, "http://b:8080"},
		{"two primaries at the same epoch, this one heard: stay", `[{urls: ["http://a:8080"], role: "primary", epoch: 1, ok: true}, {urls: ["http://b:8080"], role: "primary", epoch: 1, ok: true}]`, "http://a:8080", 1, ""},
		{"the highest epoch of several", `[` + a + `, {urls: ["http://b:8080"], role: "primary", epoch: 2, ok: true}, {urls: ["http://c:8080"], role: "primary", epoch: 3, ok: true}]`, "http://a:8080", 0, "http://c:8080"},
		{"no primary at all: stay", `[{urls: ["http://a:8080"], role: "standby", epoch: 0, ok: true}, ` + b + `]`, "http://a:8080", 0, ""},
		{"alone: stay", `[` + a + `]`, "http://a:8080", 0, ""},
		{"nothing known: stay", `[]`, "http://a:8080", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := chromedp.Run(tab, chromedp.Evaluate[string](`Promise.resolve(window.mod).then(({ choose }) => choose(`+tc.servers+`, `+quote(tc.current)+`, `+itoa(tc.epochSeen)+`) || "")`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("choose = %q, want %q", got, tc.want)
			}
		})
	}
}

// merge takes a server's own word (self) over hearsay, and rotation
// alternates the own server with the others' URLs.
func TestFollowMerge(t *testing.T) {
	tab := openModule(t, "link-servers.js")
	for _, tc := range []struct {
		name, expr, want string
	}{
		{"a welcome: self (reached first) and hearsay (not ok)",
			`merge([], [{urls: ["http://10.0.0.11:8080"], role: "primary", epoch: 0, self: true}, {urls: ["http://10.0.0.12:8080/"], role: "standby", epoch: 0}], "http://localhost:8080")`,
			`[{"urls":["http://localhost:8080","http://10.0.0.11:8080"],"role":"primary","epoch":0,"ok":true},{"urls":["http://10.0.0.12:8080"],"role":"standby","epoch":0,"ok":false}]`},
		{"a probe's self replaces what is known",
			`merge([{urls: ["http://b:8080"], role: "standby", epoch: 0, ok: true}], [{urls: ["http://b:8080"], role: "primary", epoch: 1, self: true}], "http://b:8080")`,
			`[{"urls":["http://b:8080"],"role":"primary","epoch":1,"ok":true}]`},
		{"hearsay never overrides a known server",
			`merge([{urls: ["http://b:8080"], role: "primary", epoch: 1, ok: true}], [{urls: ["http://b:8080"], role: "standby", epoch: 0}], "http://a:8080")`,
			`[{"urls":["http://b:8080"],"role":"primary","epoch":1,"ok":true}]`},
		{"junk is ignored",
			`merge([], [null, 7, {urls: ["ftp://x", 5]}, {urls: "http://x"}], "")`,
			`[]`},
		{"a bad role or epoch reads as unknown and 0",
			`merge([], [{urls: ["http://a"], role: "boss", epoch: -3, self: true}], "http://a")`,
			`[{"urls":["http://a"],"role":"","epoch":0,"ok":true}]`},
		{"base URLs: ws to http, default port dropped, lower case",
			`[baseOf("ws://A.local:80/ws"), baseOf("wss://b:443/ws"), baseOf("http://c:8080/x?y"), baseOf("ftp://d"), baseOf("nonsense")]`,
			`["http://a.local","https://b","http://c:8080","",""]`},
		{"rotation alternates the own server with every other URL",
			`rotation("http://a:8080", [{urls: ["http://a:8080"]}, {urls: ["http://b:8080", "http://b2:8080"]}])`,
			`["http://a:8080","http://b:8080","http://a:8080","http://b2:8080"]`},
		{"rotation alone is the own server",
			`rotation("http://a:8080", [])`,
			`["http://a:8080"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := chromedp.Run(tab, chromedp.Evaluate[string](`Promise.resolve(window.mod).then(({ merge, baseOf, rotation }) => JSON.stringify(`+tc.expr+`))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s\n got %s\nwant %s", tc.expr, got, tc.want)
			}
		})
	}
}
