package display

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/media"
)

// MaxArchiveBytes bounds an imported show archive: a few films.
const MaxArchiveBytes = 16 << 30

// showArchiveRoutes serve the show with its media as one archive (issue
// #16), for another machine or a standby set up by hand.
func (s *Server) showArchiveRoutes(api *echo.Group) {
	if s.media == nil {
		return
	}
	api.GET("/show/archive", s.exportArchive, noStore)
	api.POST("/show/archive", s.importArchive, noStore, s.requireRole(operatorsOnly))
}

// exportArchive answers GET /api/v1/show/archive: show.json and every file
// the show names, as one ZIP, streamed.
func (s *Server) exportArchive(c echo.Context) error {
	snap := s.engine.Snapshot()
	data, err := snap.Show.MarshalIndent()
	if err != nil {
		return fmt.Errorf("display: export show: %w", err)
	}
	var hashes []string
	for _, g := range snap.Show.Segments {
		if g.Media != nil {
			hashes = append(hashes, g.Media.Hash)
		}
	}
	attachment(c, slug(snap.Show.Title, "show")+".zip", snap.Show.Title+".zip")
	c.Response().Header().Set(echo.HeaderContentType, "application/zip")
	c.Response().WriteHeader(http.StatusOK)
	if err := s.media.WriteArchive(c.Response(), data, hashes); err != nil {
		s.log.Error("export the show archive", "err", err) // the status is sent: the download breaks off
	}
	return nil
}

// importArchive answers POST /api/v1/show/archive[?force=1]: the body is a
// show archive, spooled to disk; its files go into the media folder (each
// checked against its name), then its show is put in use as PUT
// /api/v1/show would. A refused archive changes nothing.
func (s *Server) importArchive(c echo.Context) error {
	force, err := boolParam(c, "force")
	if err != nil {
		return err
	}
	r := c.Request()
	if r.ContentLength > MaxArchiveBytes {
		return tooLarge(MaxArchiveBytes)
	}
	spool, err := os.CreateTemp(s.media.Dir(), ".archive-*")
	if err != nil {
		return fmt.Errorf("display: spool the archive: %w", err)
	}
	defer func() {
		spool.Close()
		os.Remove(spool.Name())
	}()
	size, err := io.Copy(spool, io.LimitReader(r.Body, MaxArchiveBytes+1))
	if err != nil {
		return controller.Errorf(controller.EINVALID, "could not read the archive: %v", err)
	}
	if size > MaxArchiveBytes {
		return tooLarge(MaxArchiveBytes)
	}
	data, added, err := s.media.ReadArchive(spool, size, MaxShowBytes)
	if errors.Is(err, media.ErrArchive) {
		return controller.Errorf(controller.EINVALID, "%v", err)
	} else if err != nil {
		return fmt.Errorf("display: import the archive: %w", err)
	}
	res, err := s.replaceShow(c, data, force)
	if err != nil {
		s.media.Remove(added)
		return err
	}
	return c.JSON(http.StatusOK, s.stateBody(&res.Answer, res.Snapshot))
}
