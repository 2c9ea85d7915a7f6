/* crypto-t: the digests, HMAC and PBKDF2 against their published test vectors. */
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

	/* RFC 4231, test cases 1, 2 and 6 (a key longer than the block) */
	unsigned char key[131];
	memset(key, 0x0b, 20);
	dh_hmac_sha256(key, 20, "Hi There", 8, d);
	is_str(hex(d, 32, h), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	       "hmac-sha256 RFC 4231 case 1");
	dh_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
	is_str(hex(d, 32, h), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	       "hmac-sha256 RFC 4231 case 2");
	memset(key, 0xaa, sizeof(key));
	dh_hmac_sha256(key, sizeof(key), "Test Using Larger Than Block-Size Key - Hash Key First",
		       54, d);
	is_str(hex(d, 32, h), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	       "hmac-sha256 RFC 4231 case 6");

	/* RFC 7914, section 11: PBKDF2-HMAC-SHA256 */
	unsigned char dk[64];
	char hk[129];
	dh_pbkdf2_sha256("passwd", 6, "salt", 4, 1, dk, 64);
	is_str(hex(dk, 64, hk),
	       "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
	       "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
	       "pbkdf2-sha256 RFC 7914, c=1");
	dh_pbkdf2_sha256("Password", 8, "NaCl", 4, 80000, dk, 64);
	is_str(hex(dk, 64, hk),
	       "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
	       "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
	       "pbkdf2-sha256 RFC 7914, c=80000");

	ok(dh_memeq_ct("abc", "abc", 3) == 1 && dh_memeq_ct("abc", "abd", 3) == 0 &&
		   dh_memeq_ct("x", "y", 0) == 1,
	   "dh_memeq_ct");
	return tap_done();
}
