package pagetest

import (
	"context"
	"testing"

	"github.com/phatdong/phatdong/static/browsertest"
)

// jsDir holds the pages' modules, relative to this package.
const jsDir = "../js"

// openModule imports static/js/<name> into a blank page as window.mod
// (browsertest.OpenModule).
func openModule(t *testing.T, name string) context.Context {
	t.Helper()
	return browsertest.OpenModule(t, jsDir, name, "mod")
}
