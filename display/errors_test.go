package display

import (
	"net/http"
	"testing"

	"github.com/phatdong/phatdong/controller"
)

func TestStatusAndCodeForStatus(t *testing.T) {
	tests := []struct {
		code   string
		status int
		back   string // what codeForStatus(status) gives
	}{
		{controller.EINVALID, http.StatusBadRequest, controller.EINVALID},
		{controller.ENOTFOUND, http.StatusNotFound, controller.ENOTFOUND},
		{controller.ECONFLICT, http.StatusConflict, controller.ECONFLICT},
		{controller.ENOTARMED, http.StatusConflict, controller.ECONFLICT},
		{controller.EDUPLICATE, http.StatusConflict, controller.ECONFLICT},
		{EUNAUTHORIZED, http.StatusUnauthorized, EUNAUTHORIZED},
		{controller.EFORBIDDEN, http.StatusForbidden, controller.EFORBIDDEN},
		{ETOOLARGE, http.StatusRequestEntityTooLarge, ETOOLARGE},
		{ERATELIMITED, http.StatusTooManyRequests, ERATELIMITED},
		{EUNAVAILABLE, http.StatusServiceUnavailable, EUNAVAILABLE},
		{controller.EINTERNAL, http.StatusInternalServerError, controller.EINTERNAL},
		{"no-such-code", http.StatusInternalServerError, controller.EINTERNAL},
	}
	for _, tc := range tests {
		if got := Status(tc.code); got != tc.status {
			t.Errorf("Status(%q) = %d, want %d", tc.code, got, tc.status)
		}
		if got := codeForStatus(tc.status); got != tc.back {
			t.Errorf("codeForStatus(%d) = %q, want %q", tc.status, got, tc.back)
		}
	}
	for _, s := range []int{http.StatusMethodNotAllowed, http.StatusUnsupportedMediaType} {
		if got := codeForStatus(s); got != controller.EINVALID {
			t.Errorf("codeForStatus(%d) = %q, want invalid", s, got)
		}
	}
}
