package cc

import "encoding/binary"

// indexPair returns the index of the first "__" in b, or -1. bytes.Index
// would jump from '_' to '_' (one every 18 bytes of kernel headers), a
// call each; this tests sixteen bytes at a time and stops only near pairs,
// one every few hundred bytes. Blocks overlap by a byte, so that a pair
// across two of them is inside the second.
func indexPair(b []byte) int {
	i := 0
	for ; i+16 <= len(b); i += 15 {
		w := b[i : i+16 : i+16]
		z1 := underscores(binary.LittleEndian.Uint64(w[:8]))
		z2 := underscores(binary.LittleEndian.Uint64(w[8:]))
		if z1&(z1>>8|z2<<56)|z2&(z2>>8) != 0 {
			break
		}
	}
	for ; i+1 < len(b); i++ {
		if b[i] == '_' && b[i+1] == '_' {
			return i
		}
	}
	return -1
}

// underscores returns 0x80 in each byte of x that is '_', 0 elsewhere
// (exact: no carry crosses bytes).
func underscores(x uint64) uint64 {
	const low7, under = 0x7f7f7f7f7f7f7f7f, 0x5f5f5f5f5f5f5f5f
	y := x ^ under
	return ^((y&low7 + low7) | y | low7)
}
