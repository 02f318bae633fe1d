package display

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/media"
	"github.com/phatdong/phatdong/protocol"
)

// mediaRoutes serves the media folder (issue #16): the files to every
// screen, the upload to operators. Without a folder there are neither.
func (s *Server) mediaRoutes(api *echo.Group) {
	if s.media == nil {
		return
	}
	s.echo.GET("/media/:hash", s.getMedia)
	s.echo.HEAD("/media/:hash", s.getMedia)
	api.POST("/media", s.postMedia, noStore, s.requireRole(operatorsOnly))
}

// checkMediaHeld refuses a show that names a file the media folder does
// not hold: every stage screen would fail to load it. Upload it first.
func (s *Server) checkMediaHeld(show *controller.Show) error {
	for i, g := range show.Segments {
		if g.Media == nil {
			continue
		}
		if s.media == nil || !s.media.Has(g.Media.Hash) {
			return controller.FieldError(fmt.Sprintf("segments[%d].media.hash", i),
				"this server holds no file %s; upload it first (POST /api/v1/media)", g.Media.Hash)
		}
	}
	return nil
}

// getMedia answers GET /media/:hash: the file, with Range requests, cached
// for good.
func (s *Server) getMedia(c echo.Context) error {
	s.media.Serve(c.Response(), c.Request(), c.Param("hash"))
	return nil
}

// postMedia answers POST /api/v1/media?name=…: the body is the file,
// streamed to disk as it arrives. The answer is the media item a segment
// may carry; a video's duration is the editor's to read and send with the
// show. A refused file changes nothing.
func (s *Server) postMedia(c echo.Context) error {
	r := c.Request()
	if r.ContentLength > s.media.Limit() {
		return controller.Errorf(ETOOLARGE, "the file is larger than %s", byteSize(s.media.Limit()))
	}
	name := strings.TrimSpace(c.QueryParam("name"))
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 200 {
		return controller.FieldError("name", "the file's name must be valid text of at most 200 characters")
	}
	info, err := s.media.Put(r.Body)
	switch {
	case errors.Is(err, media.ErrTooLarge):
		return controller.Errorf(ETOOLARGE, "the file is larger than %s", byteSize(s.media.Limit()))
	case errors.Is(err, media.ErrUnsupported):
		return controller.Errorf(controller.EINVALID, "the file is not a film (MP4 or WebM) or a still (PNG, JPEG or WebP), whatever its name says")
	case errors.Is(err, media.ErrEmpty):
		return controller.Errorf(controller.EINVALID, "the file is empty")
	case err != nil:
		s.log.Error("keep an uploaded file", "name", name, "err", err)
		return controller.Errorf(controller.EINTERNAL, "the server could not keep the file")
	}
	s.log.Info("media uploaded", "name", name, "hash", info.Hash, "type", info.Type, "size", info.Size)
	return c.JSON(http.StatusOK, protocol.Media{Hash: info.Hash, Kind: string(info.Kind), Type: info.Type, Name: name, Size: info.Size})
}
