package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// api is the server's HTTP API, with the operator token.
type api struct {
	base  string
	token string
	http  *http.Client
}

func newAPI(cfg config) *api {
	return &api{base: strings.TrimRight(cfg.base.String(), "/"), token: cfg.token, http: &http.Client{Timeout: 15 * time.Second}}
}

// stateReply is the part of a state answer the tool needs.
type stateReply struct {
	Answer *struct {
		Seq uint64 `json:"seq"`
	} `json:"answer"`
	ServerTime float64 `json:"serverTime"`
	State      struct {
		Seq  uint64 `json:"seq"`
		Show struct {
			SegmentCount int `json:"segmentCount"`
		} `json:"show"`
		Current struct {
			Index int `json:"index"`
		} `json:"current"`
		Rehearsal bool `json:"rehearsal"`
		Launch    struct {
			Phase  string  `json:"phase"`
			FireID string  `json:"fireId"`
			FireAt float64 `json:"fireAt"`
		} `json:"launch"`
	} `json:"state"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// command posts one command and returns the new state's seq.
func (a *api) command(ctx context.Context, cmd map[string]any) (stateReply, error) {
	body, err := json.Marshal(cmd)
	if err != nil {
		return stateReply{}, fmt.Errorf("encode command: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+"/api/v1/commands", bytes.NewReader(body))
	if err != nil {
		return stateReply{}, fmt.Errorf("command %v: %w", cmd["type"], err)
	}
	req.Header.Set("Content-Type", "application/json")
	return a.do(req, fmt.Sprint("command ", cmd["type"]))
}

// state reads the live state.
func (a *api) state(ctx context.Context) (stateReply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base+"/api/v1/state", nil)
	if err != nil {
		return stateReply{}, fmt.Errorf("read the state: %w", err)
	}
	return a.do(req, "read the state")
}

// firstSegment reads the show and returns its first segment's id.
func (a *api) firstSegment(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base+"/api/v1/show", nil)
	if err != nil {
		return "", fmt.Errorf("read the show: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := a.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("read the show: %w", err)
	}
	defer resp.Body.Close()
	var r struct {
		Show struct {
			Segments []struct {
				ID string `json:"id"`
			} `json:"segments"`
		} `json:"show"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&r); err != nil {
		return "", fmt.Errorf("read the show: HTTP %d: %w", resp.StatusCode, err)
	}
	if len(r.Show.Segments) == 0 {
		return "", fmt.Errorf("read the show: HTTP %d: no segments", resp.StatusCode)
	}
	return r.Show.Segments[0].ID, nil
}

func (a *api) do(req *http.Request, what string) (stateReply, error) {
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := a.http.Do(req)
	if err != nil {
		return stateReply{}, fmt.Errorf("%s: %w", what, err)
	}
	defer resp.Body.Close()
	var r stateReply
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&r); err != nil {
		return r, fmt.Errorf("%s: HTTP %d: %w", what, resp.StatusCode, err)
	}
	if r.Error != nil {
		return r, fmt.Errorf("%s: HTTP %d: %s: %s", what, resp.StatusCode, r.Error.Code, r.Error.Message)
	}
	return r, nil
}

// metrics reads the server's /metrics: each sample's value by name with
// its labels summed, and also by its full series name (name{labels}).
func (a *api) metrics(ctx context.Context) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base+"/metrics", nil)
	if err != nil {
		return nil, fmt.Errorf("read metrics: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("read metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("read metrics: HTTP %d", resp.StatusCode)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		series, value := line[:i], line[i+1:]
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			continue
		}
		out[series] = v
		if j := strings.IndexByte(series, '{'); j >= 0 {
			out[series[:j]] += v
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read metrics: %w", err)
	}
	return out, nil
}
