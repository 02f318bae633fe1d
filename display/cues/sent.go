package cues

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// keepSent is how many fire ids the sent file remembers.
const keepSent = 64

// sentSet remembers the fire ids whose cues were scheduled, in a file
// when it has a path, so a restart never sends them again.
type sentSet struct {
	path string
	ids  []string // oldest first
}

// loadSent reads the file at path; a missing file is an empty set.
func loadSent(path string) (*sentSet, error) {
	s := &sentSet{path: path}
	if path == "" {
		return s, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cues: read %s: %w", path, err)
	}
	if err := json.Unmarshal(data, &s.ids); err != nil {
		return nil, fmt.Errorf("cues: %s is not a list of fire ids: %w", path, err)
	}
	return s, nil
}

func (s *sentSet) has(id string) bool { return slices.Contains(s.ids, id) }

// add remembers id and writes the file (fsynced, then renamed in place)
// before it returns.
func (s *sentSet) add(id string) error {
	s.ids = append(s.ids, id)
	if len(s.ids) > keepSent {
		s.ids = slices.Clone(s.ids[len(s.ids)-keepSent:])
	}
	if s.path == "" {
		return nil
	}
	data, err := json.Marshal(s.ids)
	if err != nil {
		return fmt.Errorf("cues: encode the sent fire ids: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".cues-sent-*")
	if err != nil {
		return fmt.Errorf("cues: write the sent fire ids: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cues: write the sent fire ids: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("cues: sync the sent fire ids: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cues: write the sent fire ids: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("cues: write the sent fire ids: %w", err)
	}
	return nil
}
