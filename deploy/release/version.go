package main

import (
	"fmt"
	"regexp"
	"strings"
)

// versionRE is a release version: v, then semantic version's core and an
// optional pre-release (no build metadata: it has no place in a .deb).
var versionRE = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z]+(\.[0-9A-Za-z]+)*)?$`)

// parseVersion checks a release version and returns it without its "v".
func parseVersion(v string) (string, error) {
	if v == "" {
		return "", fmt.Errorf("required, e.g. v1.2.3")
	}
	if !versionRE.MatchString(v) {
		return "", fmt.Errorf("%q is not vMAJOR.MINOR.PATCH with an optional -PRERELEASE (e.g. v1.2.3, v1.3.0-rc.1)", v)
	}
	return strings.TrimPrefix(v, "v"), nil
}

// containsLine reports whether text has line as one of its lines.
func containsLine(text, line string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}
