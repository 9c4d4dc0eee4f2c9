package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/kb-mensenhandel/kb/cmd/internal/endpoint"
	"github.com/kb-mensenhandel/kb/theme"
)

// runSearch serves only /api/search over an index that kb build wrote, for
// an intranet that serves public/ with its own web server.
func runSearch(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kb search", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8081", "address to listen on")
	index := fl.String("index", "public/_search", "the search folder of the tree kb build wrote")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	logger := log.New(stderr, "kb search: ", 0)
	h, err := endpoint.Open(*index, theme.HTTPHeaders(), logger)
	if err != nil {
		logger.Printf("%v (searches answer 503 until it is fixed and kb search restarts)", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Print(err)
		return 1
	}
	mux := http.NewServeMux()
	mux.Handle("/api/search", h)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "kb search: http://%s/api/search\n", ln.Addr())
	if err := serveUntilSignal(ln, hs); err != nil {
		logger.Print(err)
		return 1
	}
	return 0
}
