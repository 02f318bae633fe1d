package display

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
)

// Page is one web page the server offers, for the index and the start-up
// banner.
type Page struct {
	Path  string // URL path, e.g. "/stage"
	File  string // file in the pages FS
	Title string // what it is, in Vietnamese
}

// Pages lists the web pages in the order they are offered.
var Pages = []Page{
	{"/mc", "mc.html", "Điều khiển của MC (máy tính bảng)"},
	{"/stage", "stage.html", "Màn hình sân khấu (máy chiếu, màn LED)"},
	{"/presenter", "presenter.html", "Màn hình đồng hồ cho người phát biểu"},
	{"/edit", "edit.html", "Soạn kịch bản chương trình"},
	{"/button", "button.html", "Nút phát động trên màn hình"},
	{"/print", "print.html", "Bản in kịch bản chương trình (A4)"},
}

// pageRoutes serves the pages, their scripts and styles, all marked
// no-cache (pages change between rehearsals and must never be stale), and
// the embedded typeface.
func (s *Server) pageRoutes(pages fs.FS) {
	e := s.echo
	e.GET("/", s.index)
	for _, p := range Pages {
		e.GET(p.Path, servePage(pages, p.File))
	}
	e.GET("/js/*", serveAsset(pages, "no-cache"))
	e.GET("/css/*", serveAsset(pages, "no-cache"))
	// The typeface never changes between rehearsals: a screen keeps it for
	// a day instead of asking again on every load.
	e.GET("/fonts/*", serveAsset(pages, "public, max-age=86400"))
}

// serveAsset serves the file of pages named by the request's path, with
// the given Cache-Control. A missing file or a directory is a not_found
// error object, like every other refusal.
func serveAsset(pages fs.FS, cacheControl string) echo.HandlerFunc {
	return func(c echo.Context) error {
		name := strings.TrimPrefix(c.Request().URL.Path, "/")
		if fi, err := fs.Stat(pages, name); err != nil || fi.IsDir() {
			return controller.Errorf(controller.ENOTFOUND, "no such file: /%s", name)
		}
		c.Response().Header().Set(echo.HeaderCacheControl, cacheControl)
		http.ServeFileFS(c.Response(), c.Request(), pages, name)
		return nil
	}
}

func servePage(pages fs.FS, name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		data, err := fs.ReadFile(pages, name)
		if errors.Is(err, fs.ErrNotExist) {
			return echo.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("display: read page %s: %w", name, err)
		}
		c.Response().Header().Set(echo.HeaderCacheControl, "no-cache")
		return c.HTMLBlob(http.StatusOK, data)
	}
}

// index is a tiny page listing the others.
func (s *Server) index(c echo.Context) error {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="vi"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>phatdong</title><link rel="stylesheet" href="/css/index.css">` +
		`</head><body><h1>Điều khiển chương trình buổi lễ</h1><p>Chọn màn hình cho thiết bị này:</p>`)
	for _, p := range Pages {
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, p.Path, p.Title)
	}
	if s.trustListed() {
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, TrustPage.Path, TrustPage.Title)
	}
	b.WriteString(`</body></html>`)
	c.Response().Header().Set(echo.HeaderCacheControl, "no-cache")
	return c.HTML(http.StatusOK, b.String())
}
