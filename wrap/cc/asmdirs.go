package cc

import "strings"

// AsmSearchDirs returns the directories the assembler searches for .incbin
// and .include operands after the working directory, in order, from a
// compile's command line (args[0] the compiler, response files expanded).
// inlineAsm says the source is C-family (asm statements) rather than
// assembler (.s, .S, .sx). What the drivers do, as observed:
//
//   - gcc gives as every -I directory (its spec has %{I*}), then the -I of
//     -Wa, and -Xassembler options in their order; for C and assembler
//     alike. -iquote, -isystem and -idirafter are not passed.
//   - clang on assembler gives its assembler the same: -I, then -Wa and
//     -Xassembler -I.
//   - clang on C turns each -Wa,-I into a -I of the compiler itself, ahead
//     of the others: it is then also searched by #include. Inline asm is
//     assembled with the compiler's quote, angle and system directories:
//     the -Wa/-Xassembler ones, the -I ones, CPATH, -iquote, -isystem (not
//     -idirafter), and last the compiler's own system directories (the
//     resource directory's include, /usr/local/include): the list returned
//     ends before CPATH, which the caller knows from the environment, and
//     before the built-in ones, so a file found in none of the candidates
//     may still have been read from there.
func AsmSearchDirs(args []string, clang, inlineAsm bool) []string {
	var inc, quote, system, words []string // words: the assembler's own arguments
	for i := 1; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "-I" || a == "--include-directory":
			inc = appendDir(inc, next())
		case strings.HasPrefix(a, "--include-directory="):
			inc = appendDir(inc, a[len("--include-directory="):])
		case strings.HasPrefix(a, "-I"):
			inc = appendDir(inc, a[2:])
		case a == "-iquote" || a == "-isystem":
			dst := &quote
			if a == "-isystem" {
				dst = &system
			}
			*dst = appendDir(*dst, next())
		case strings.HasPrefix(a, "-iquote"):
			quote = appendDir(quote, a[len("-iquote"):])
		case strings.HasPrefix(a, "-isystem"):
			system = appendDir(system, a[len("-isystem"):])
		case strings.HasPrefix(a, "-Wa,"):
			words = append(words, strings.Split(a[len("-Wa,"):], ",")...)
		case a == "-Xassembler":
			words = append(words, next())
		}
	}
	asm := assemblerDirs(words)
	switch {
	case !clang || !inlineAsm:
		return append(inc, asm...)
	default:
		return append(append(append(asm, inc...), quote...), system...)
	}
}

// assemblerDirs returns the directories of -I options among assembler
// arguments: "-I", "DIR" or "-IDIR".
func assemblerDirs(words []string) (dirs []string) {
	for i := 0; i < len(words); i++ {
		switch w := words[i]; {
		case w == "-I" && i+1 < len(words):
			i++
			dirs = appendDir(dirs, words[i])
		case strings.HasPrefix(w, "-I") && w != "-I":
			dirs = appendDir(dirs, w[2:])
		}
	}
	return dirs
}

func appendDir(dirs []string, d string) []string {
	if d == "" {
		return dirs
	}
	return append(dirs, d)
}
