// Package static embeds the web pages: stage, presenter, MC tablet, rundown
// editor and the on-screen button. No build step, nothing fetched from
// outside: plain HTML, CSS and JavaScript modules, and one embedded
// typeface (Be Vietnam Pro, fonts/, SIL Open Font License) so every screen
// draws the same letters.
//
//	/stage?name=…[#token=…]         projector or LED wall (any shape), paired by a QR code's
//	                                screen credential when it has a token; ?preview=fire plays the
//	                                launch moment on this screen alone (&at=ms holds one frame)
//	/presenter?name=…[#token=…]     the speaker's confidence monitor
//	/mc[#token=…]                   the MC's tablet; the token is asked once and remembered
//	/edit[#token=…]                 the rundown editor
//	/button#key=…&button=…&name=…   an on-screen launch button
//	/print                          the run sheet on A4, for the MC's paper copy (docs/plan.md)
//	/trust                          how to trust the server's CA (HTTPS with --tls-ca only);
//	                                a template the server fills in (display/trust.go)
//
// Every page talks to the server through js/link.js (docs/link-js.md). The
// tests, in real headless Chromium against the real server, are in
// static/pagetest.
package static

import "embed"

// FS holds the pages (*.html), their scripts (js/), styles (css/) and
// typeface (fonts/).
//
//go:embed *.html js css fonts
var FS embed.FS
