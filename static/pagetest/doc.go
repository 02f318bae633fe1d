// Package pagetest tests the web pages (static/) in real headless Chromium
// against the real server, in process, on 127.0.0.1 with a temporary store:
// the pages load without console errors, the MC's actions reach the stage
// and the presenter, the countdown changes colour, the launch plays on the
// stage and survives a reload, and text fits on every screen shape.
//
// Screenshots of every page in its main states:
//
//	go test ./static/pagetest -run Screenshots -screenshots=DIR
//
// (or PHATDONG_SCREENSHOTS=DIR). The tests fail, never skip, when Chromium
// is missing.
package pagetest
