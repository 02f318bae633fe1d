package display_test

import (
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/displaytest"
)

// benchServer is the real edge on the real clock and a real bbolt store
// (fsync on every commit), served over loopback HTTP. Its request limit
// is lifted: the benchmarks measure the engine behind it.
func benchServer(b *testing.B) *displaytest.Server {
	b.Helper()
	return displaytest.Start(b, displaytest.Options{OperatorToken: opToken, ButtonKey: buttonKey,
		RateLimit: display.NewRateLimiter(math.MaxInt32, math.MaxInt32)})
}

func post(b *testing.B, client *http.Client, url, body string) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+opToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body) // read it all so the connection is reused
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: status %d", body, resp.StatusCode)
	}
}

// BenchmarkCommand is the time from an HTTP request to the command
// committed (fsync) and answered, one client with keep-alive, alternating
// message / clear-message. It reports p50 and p99 and commands per second.
func BenchmarkCommand(b *testing.B) {
	ts := benchServer(b)
	client := ts.HTTP.Client()
	url := ts.URL + "/api/v1/commands"
	bodies := []string{`{"type":"message","text":"Còn 5 phút"}`, `{"type":"clear-message"}`}
	post(b, client, url, bodies[0]) // warm the connection
	post(b, client, url, bodies[1])
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		post(b, client, url, bodies[i%2])
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkCommandParallel is the throughput with several clients at once;
// the engine commits one command at a time, so this is what the store
// sustains behind HTTP.
func BenchmarkCommandParallel(b *testing.B) {
	ts := benchServer(b)
	url := ts.URL + "/api/v1/commands"
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := ts.HTTP.Client()
		for pb.Next() {
			post(b, client, url, `{"type":"message","text":"Xin mời đại biểu"}`)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
}

func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[min(int(q*float64(len(lat))), len(lat)-1)].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "commands/s")
}
