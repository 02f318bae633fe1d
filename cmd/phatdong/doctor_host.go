package main

import (
	"os"
	"path/filepath"

	"github.com/phatdong/phatdong/cmd/internal/version"
	"github.com/phatdong/phatdong/protocol"
)

// doctorHost is the machine's side of the preflight report: its
// addresses, the database and the disk that holds it.
func (s *Server) doctorHost() protocol.DoctorHost {
	h := protocol.DoctorHost{Version: version.String(), Role: s.mdnsRole(), MDNSName: s.mdnsURL(), DB: protocol.DiskFile{Path: s.cfg.DB}}
	if s.ln != nil {
		h.Addresses = baseURLs(s.ln.Addr(), s.scheme())
	}
	if fi, err := os.Stat(s.cfg.DB); err == nil {
		h.DB.SizeBytes = fi.Size()
	}
	free, total, err := diskFree(filepath.Dir(s.cfg.DB))
	if err != nil {
		h.Disk.Error = err.Error()
	} else {
		h.Disk.FreeBytes, h.Disk.TotalBytes = free, total
	}
	return h
}
