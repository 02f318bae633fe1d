package display

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"

	"github.com/phatdong/phatdong/controller"
)

// ShowBody is the answer of GET /api/v1/show.
type ShowBody struct {
	ServerTime int64            `json:"serverTime"`
	ShowRev    uint64           `json:"showRev"`
	Show       *controller.Show `json:"show"`
}

// getShow answers GET /api/v1/show: the rundown in use and its revision.
func (s *Server) getShow(c echo.Context) error {
	snap := s.engine.Snapshot()
	return c.JSON(http.StatusOK, ShowBody{ServerTime: s.serverTime(), ShowRev: snap.State.ShowRev, Show: snap.Show})
}

// exportShow answers GET /api/v1/show/export: the show file as a download,
// in the exact format PUT /api/v1/show and --show read.
func (s *Server) exportShow(c echo.Context) error {
	if f := c.QueryParam("format"); f != "" && f != "json" {
		return s.exportShowSheet(c, f)
	}
	snap := s.engine.Snapshot()
	data, err := snap.Show.MarshalIndent()
	if err != nil {
		return fmt.Errorf("display: export show: %w", err)
	}
	attachment(c, slug(snap.Show.Title, "show")+".json", snap.Show.Title+".json")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, data)
}

// putShow answers PUT /api/v1/show: replace the rundown. The body is a
// show file. While a segment's clock runs it is refused unless ?force=1.
func (s *Server) putShow(c echo.Context) error {
	force, err := boolParam(c, "force")
	if err != nil {
		return err
	}
	if format := sheetBodyFormat(c); format != "" {
		return s.putSheetShow(c, format, force)
	}
	body, err := readBody(c, MaxShowBytes)
	if err != nil {
		return err
	}
	res, err := s.replaceShow(c, body, force)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.stateBody(&res.Answer, res.Snapshot))
}

// replaceShow puts the show file data in use, once its media are held.
func (s *Server) replaceShow(c echo.Context, data []byte, force bool) (controller.Result, error) {
	show, err := controller.ParseShow(data)
	if err != nil {
		return controller.Result{}, err
	}
	if err := s.checkMediaHeld(show); err != nil {
		return controller.Result{}, err
	}
	res, err := s.engine.ReplaceShow(show, force, actorOf(c, controller.Command{}))
	s.metrics.observeCommand("replace-show", err)
	return res, err
}

// boolParam reads an optional boolean query parameter: 1/0, true/false.
func boolParam(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, controller.FieldError(name, "must be 1 or 0, got %q", v)
	}
	return b, nil
}

// attachment makes the answer a download named ascii (for old clients)
// and utf8 (RFC 6266 filename*, for the others).
func attachment(c echo.Context, ascii, utf8 string) {
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(utf8)))
}

// slug turns a Vietnamese title into a file name: "Lễ phát động" →
// "le-phat-dong". It is fallback when nothing is left.
func slug(title, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(title) {
		switch {
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.Is(unicode.Mn, r):
			continue
		}
		r = unicode.ToLower(r)
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return fallback
	}
	return out
}
