// Package buffers keeps bytes.Buffers for reuse: growing a fresh buffer for
// every page was a tenth of a large build's time.
package buffers

import (
	"bytes"
	"sync"
)

var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Get returns an empty buffer.
func Get() *bytes.Buffer {
	b := pool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// Put returns b for reuse; b must not be used after.
func Put(b *bytes.Buffer) { pool.Put(b) }
