// Package static embeds the web pages: stage, presenter, MC tablet, rundown
// editor and the on-screen button. No build step, nothing fetched from outside.
package static

import "embed"

// FS holds the pages (*.html), their scripts (js/) and styles (css/).
//
//go:embed *.html js css
var FS embed.FS
