package main

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// fileEntry is one "key = value" line of a configuration file.
type fileEntry struct {
	key, value string
	line       int
}

// parseConfigFile reads the agent's configuration file format, one setting
// a line:
//
//	# Nút 1, bàn đại biểu
//	server = ws://10.0.0.2:8080/ws
//	key    = 6f1c…
//	button = nut-1
//	name   = Nút 1 – Chủ tịch UBND tỉnh
//
// Blank lines and lines starting with # are ignored; spaces around the key
// and the value are trimmed; a value may be wrapped in double quotes, which
// are removed (nothing inside is escaped). The file is UTF-8; a byte-order
// mark is allowed. Keys are checked by the caller; a key given twice is an
// error, since one of the two would be silently ignored.
func parseConfigFile(data []byte) ([]fileEntry, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("the file is not UTF-8 text")
	}
	var out []fileEntry
	seen := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: want key = value, got %q", n, line)
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
		}
		if key == "" {
			return nil, fmt.Errorf("line %d: a setting needs a key before '='", n)
		}
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("line %d: %s is already set on line %d", n, key, first)
		}
		seen[key] = n
		out = append(out, fileEntry{key: key, value: value, line: n})
	}
	return out, nil
}
