package stable

// Memo keeps small facts a wrapper learnt by running a program (which
// programs a compiler driver runs, where it searches), so that not every
// invocation pays for asking: key names everything the facts depend on,
// valid checks a kept value against the disk (a directory searched before
// the program found), and compute asks afresh when there is none or it no
// longer holds.
func (s *Store) Memo(key string, valid func([]byte) bool, compute func() ([]byte, error)) ([]byte, error) {
	k := noteKey("memo", key)
	if b := s.loadBytes(k); len(b) > len(codecMagic) && string(b[:len(codecMagic)]) == string(codecMagic) {
		if v := b[len(codecMagic):]; valid == nil || valid(v) {
			return v, nil
		}
	}
	v, err := compute()
	if err != nil {
		return nil, err
	}
	s.saveBytes(k, append(append([]byte{}, codecMagic...), v...))
	return v, nil
}
