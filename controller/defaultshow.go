package controller

import (
	_ "embed"
	"fmt"
)

//go:embed shows/binh-dan-hoc-vu-so.json
var defaultShowFile []byte

// DefaultShow is the programme this server ships with: the launch ceremony
// of the "Bình dân học vụ số" movement in Bình Phước, from its plan.
func DefaultShow() (*Show, error) {
	s, err := ParseShow(defaultShowFile)
	if err != nil {
		return nil, fmt.Errorf("controller: embedded default show: %w", err)
	}
	return s, nil
}
