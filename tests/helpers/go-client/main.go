// A small SSH client on Go's golang.org/x/crypto/ssh, scripted the way an autograder would
// drive a lesson: a password login, the host key checked against its SHA256 fingerprint, one
// shell session with or without a pty, our stdin to the session (then EOF), the session's
// output to our stdout, and the session's exit status as ours (99 when none was sent).
//
// tests/clients.test.ts builds it into a temporary folder from Debian's golang-go and
// golang-golang-x-crypto-dev (GOPATH=/usr/share/gocode, GO111MODULE=off); never commit the binary.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
)

func main() {
	port := flag.Int("port", 2022, "server port")
	user := flag.String("user", "alice", "login name")
	password := flag.String("password", "goodpassword", "password")
	fingerprint := flag.String("fingerprint", "", "expected host key, SHA256:...")
	pty := flag.String("pty", "", "ask for a pty: TERM:COLSxROWS, e.g. xterm:80x24")
	rekey := flag.Int64("rekey", 0, "re-exchange keys after this many bytes (0: Go's default)")
	flag.Parse()

	config := &ssh.ClientConfig{
		User: *user,
		Auth: []ssh.AuthMethod{ssh.Password(*password)},
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			if got := ssh.FingerprintSHA256(key); got != *fingerprint {
				return fmt.Errorf("host key %s, expected %s", got, *fingerprint)
			}
			return nil
		},
	}
	config.RekeyThreshold = uint64(*rekey)
	client, err := ssh.Dial("tcp", "127.0.0.1:"+strconv.Itoa(*port), config)
	fail(err)
	defer client.Close()
	session, err := client.NewSession()
	fail(err)
	if *pty != "" {
		term, size, _ := strings.Cut(*pty, ":")
		var cols, rows int
		_, err = fmt.Sscanf(size, "%dx%d", &cols, &rows)
		fail(err)
		fail(session.RequestPty(term, rows, cols, ssh.TerminalModes{}))
	}
	session.Stdout = os.Stdout
	session.Stderr = os.Stderr
	stdin, err := session.StdinPipe()
	fail(err)
	fail(session.Shell())
	go func() {
		io.Copy(stdin, os.Stdin)
		stdin.Close() // EOF to the server
	}()
	err = session.Wait()
	var exit *ssh.ExitError
	var missing *ssh.ExitMissingError
	switch {
	case err == nil:
		os.Exit(0)
	case errors.As(err, &exit):
		os.Exit(exit.ExitStatus())
	case errors.As(err, &missing):
		os.Exit(99)
	}
	fail(err)
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-client:", err)
		os.Exit(1)
	}
}
