// Package parallel runs independent pieces of work on all cores.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(0) … f(n-1) on all cores and returns when all are done.
// Items are handed out one at a time, so a slow item does not hold up a fixed share.
// It runs more goroutines than cores: the site's work mixes CPU with file reads
// and writes, and while one goroutine waits for the disk another can compute.
func For(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(4*runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}
