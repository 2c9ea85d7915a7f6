/* crypto-t: the digests against their published test vectors. */
#include <stdio.h>

#include "util.h"
#include "crypto.h"
#include "tap.h"

static const char *
hex(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return out;
}

int
main(void)
{
	/* RFC 1321, appendix A.5 */
	static const struct {
		const char *in, *md5;
	} md5[] = {
		{"", "d41d8cd98f00b204e9800998ecf8427e"},
		{"a", "0cc175b9c0f1b6a831c399e269772661"},
		{"abc", "900150983cd24fb0d6963f7d28e17f72"},
		{"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
		{"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
		{"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		 "57edf4a22be3c955ac49da2e2107b67a"},
	};
	unsigned char d[32];
	char h[65];
	for (size_t i = 0; i < DH_ARRAY_SIZE(md5); i++) {
		dh_md5(md5[i].in, strlen(md5[i].in), d);
		is_str(hex(d, 16, h), md5[i].md5, "md5(\"%.20s\")", md5[i].in);
	}
	/* FIPS 180-2, appendix B.1 */
	dh_sha256("abc", 3, d);
	is_str(hex(d, 32, h), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "sha256(\"abc\")");
	return tap_done();
}
