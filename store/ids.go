package store

import (
	"crypto/rand"
	"encoding/binary"
)

// NewID returns a random positive id below 2^53 for a new row. Ids are
// drawn rather than counted, so that instances on one database never clash
// and an id says nothing of how many rows there are; 53 bits stay exact in
// JSON numbers and JavaScript. (crypto/rand.Read does not fail.)
func NewID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>11) | 1
}

// NullID is id for a nullable reference column: NULL for 0.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
