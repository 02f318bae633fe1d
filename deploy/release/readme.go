package main

import (
	"fmt"
	"strings"
)

// readme is the README.txt of an archive.
func readme(a archiveSpec, version string) string {
	var b strings.Builder
	if a.product == agentCmd {
		fmt.Fprintf(&b, "phatdong-button %s (%s): the launch button agent for a Raspberry Pi\n\n", version, a.p.name())
		b.WriteString("Wiring, the configuration file and the systemd unit: PI.md.\n" +
			"Install on the Pi (or use the phatdong-button .deb):\n\n" +
			"  sudo ./install.sh --local phatdong-button my-button.conf\n\n" +
			"Try it without GPIO: ./phatdong-button --simulate --server http://SERVER:8080 --key KEY --button nut-1\n")
	} else {
		fmt.Fprintf(&b, "phatdong %s (%s): the run-of-show server and its load tool\n\n", version, a.p.name())
		switch a.p.goos {
		case "windows":
			b.WriteString("Double-click phatdong.exe: the server runs the built-in show (or the\n" +
				"saved one) with its database phatdong.db in this folder, and the MC page\n" +
				"opens in the browser. Allow it on Private networks when Windows asks.\n")
		case "darwin":
			b.WriteString("In Terminal, in this folder: ./phatdong --open\n" +
				"(The binary is not notarised: the first time, allow it in System Settings >\n" +
				"Privacy & Security, or run: xattr -d com.apple.quarantine phatdong phatdong-load)\n")
		default:
			b.WriteString("Start it here: ./phatdong   (or as a service: SERVICE.md, phatdong.service)\n")
		}
		b.WriteString("\nThe banner lists the link of every page, with the operator token.\n" +
			"phatdong -h lists the flags; phatdong backup -h copies the database while it runs.\n" +
			"Running it as a service, firewall ports: SERVICE.md.\n")
	}
	b.WriteString("\nThird-party licences: THIRD_PARTY.txt.\n" +
		"Documentation: https://github.com/phatdong/phatdong (README.md, docs/)\n" +
		"Check the download: the release's SHA256SUMS lists this archive's checksum.\n")
	return b.String()
}
