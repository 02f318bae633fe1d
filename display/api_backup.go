package display

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// BackupFunc writes a consistent copy of the database (bolt.Store's
// BackupSized): start is called with the copy's exact size before its
// first byte and returns where to write it.
type BackupFunc func(start func(size int64) (io.Writer, error)) (int64, error)

// backupRoutes serve GET /api/v1/backup when the server has a store to
// copy (Config.Backup).
func (s *Server) backupRoutes(api *echo.Group, backup BackupFunc) {
	if backup == nil {
		return
	}
	api.GET("/backup", func(c echo.Context) error { return s.getBackup(c, backup) }, noStore, s.requireRole(adminOnly))
}

// getBackup answers GET /api/v1/backup: the database as of one read
// transaction, with its exact Content-Length, for the administrator alone
// (the copy holds the stored secrets). The copy is spooled to a private
// temporary file first: a bbolt read transaction held open for a slow
// download would stall any commit that grows the database.
func (s *Server) getBackup(c echo.Context, backup BackupFunc) error {
	spool, err := os.CreateTemp("", "phatdong-backup-*")
	if err != nil {
		return fmt.Errorf("display: backup: spool: %w", err)
	}
	defer func() {
		spool.Close()
		os.Remove(spool.Name())
	}()
	var size int64
	n, err := backup(func(sz int64) (io.Writer, error) { size = sz; return spool, nil })
	if err != nil {
		return fmt.Errorf("display: backup: %w", err)
	}
	if n != size {
		return fmt.Errorf("display: backup: wrote %d bytes of %d", n, size)
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("display: backup: %w", err)
	}
	name := "phatdong-" + time.UnixMilli(s.serverTime()).UTC().Format("20060102-150405") + ".db"
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/octet-stream")
	h.Set(echo.HeaderContentLength, strconv.FormatInt(size, 10))
	attachment(c, name, name)
	c.Response().WriteHeader(http.StatusOK)
	if _, err := io.Copy(c.Response(), spool); err != nil {
		s.log.Error("backup: the download broke off", "err", err) // the status is sent
	}
	return nil
}
