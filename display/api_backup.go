package display

import (
	"io"
	"net/http"
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
// (the copy holds every credential's secret).
func (s *Server) getBackup(c echo.Context, backup BackupFunc) error {
	started := false
	name := "phatdong-" + time.UnixMilli(s.serverTime()).UTC().Format("20060102-150405") + ".db"
	n, err := backup(func(size int64) (io.Writer, error) {
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "application/octet-stream")
		h.Set(echo.HeaderContentLength, strconv.FormatInt(size, 10))
		attachment(c, name, name)
		c.Response().WriteHeader(http.StatusOK)
		started = true
		return c.Response(), nil
	})
	if err != nil && !started {
		return err
	}
	if err != nil {
		s.log.Error("backup: the copy broke off", "err", err, "bytes", n) // the status is sent
	}
	return nil
}
