package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/phatdong/phatdong/display"
)

// fetch downloads the running server's backup into w and checks that
// every byte it announced arrived.
func (c backupCommand) fetch(w io.Writer) (int64, error) {
	u, err := url.Parse(strings.TrimRight(c.server, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, fmt.Errorf("--server: %q is not an http(s) URL like http://127.0.0.1:8080", c.server)
	}
	client, err := c.client()
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest(http.MethodGet, u.String()+"/api/v1/backup", nil)
	if err != nil {
		return 0, fmt.Errorf("--server: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("reach the server: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, refusal(resp)
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("download: %w", err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, fmt.Errorf("download: got %d of %d bytes", n, resp.ContentLength)
	}
	return n, nil
}

// client is an HTTP client that trusts --ca besides the system's roots.
func (c backupCommand) client() (*http.Client, error) {
	client := &http.Client{Timeout: 10 * time.Minute}
	if c.ca == "" {
		return client, nil
	}
	pem, err := os.ReadFile(c.ca)
	if err != nil {
		return nil, fmt.Errorf("--ca: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--ca: %s holds no PEM certificate", c.ca)
	}
	client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	return client, nil
}

// refusal turns the server's error answer into an error that says what
// to do.
func refusal(resp *http.Response) error {
	var body display.ErrorBody
	msg := resp.Status
	if data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10)); err == nil && json.Unmarshal(data, &body) == nil && body.Error != nil {
		msg = fmt.Sprintf("%s: %s", resp.Status, body.Error.Message)
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return fmt.Errorf("the server refused the token (%s); give the administrator's token printed in its banner", msg)
	case http.StatusForbidden:
		return fmt.Errorf("the server refused this credential (%s); only the administrator's token may back up", msg)
	case http.StatusNotFound:
		return fmt.Errorf("the server has no backup route (%s): is it an older release?", msg)
	}
	return fmt.Errorf("the server answered %s", msg)
}
