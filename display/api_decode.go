package display

import (
	"io"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
)

// readBody reads a request body of at most limit bytes. A larger one is
// refused with too_large before it is decoded, so it changes nothing.
func readBody(c echo.Context, limit int64) ([]byte, error) {
	r := c.Request()
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, controller.Errorf(controller.EINVALID, "could not read the request body: %v", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(limit)
	}
	return data, nil
}

func tooLarge(limit int64) error {
	return controller.Errorf(ETOOLARGE, "the body is larger than %s", byteSize(limit))
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
