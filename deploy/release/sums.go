package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// sumsFile lists every artefact's SHA-256, in sha256sum's format.
const sumsFile = "SHA256SUMS"

func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeSums writes SHA256SUMS for the artefacts in dir.
func writeSums(dir string, names []string) error {
	var b strings.Builder
	for _, n := range names {
		sum, err := fileSum(filepath.Join(dir, n))
		if err != nil {
			return fmt.Errorf("checksum: %w", err)
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, n)
	}
	return os.WriteFile(filepath.Join(dir, sumsFile), []byte(b.String()), 0o644)
}

// verifySums checks every line of dir's SHA256SUMS against its file, and
// that it lists exactly want.
func verifySums(dir string, want []string) error {
	f, err := os.Open(filepath.Join(dir, sumsFile))
	if err != nil {
		return err
	}
	defer f.Close()
	listed := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			return fmt.Errorf("%s: malformed line %q", sumsFile, sc.Text())
		}
		got, err := fileSum(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if got != sum {
			return fmt.Errorf("%s: %s does not match its checksum", sumsFile, name)
		}
		listed[name] = true
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, n := range want {
		if !listed[n] {
			return fmt.Errorf("%s does not list %s", sumsFile, n)
		}
	}
	if len(listed) != len(want) {
		return fmt.Errorf("%s lists %d files, want %d", sumsFile, len(listed), len(want))
	}
	return nil
}
