/* check_sha256.c: SHA-256 against FIPS 180-4's examples and the lengths
 * where padding spills into another block. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void digest(const void *data, size_t len, char hex[65])
{
    struct sha256 c;

    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final_hex(&c, hex);
}

START_TEST(fips_examples)
{
    static const char two_blocks[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[65];

    digest("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                          "27ae41e4649b934ca495991b7852b855");
    digest("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
                          "b00361a396177a9cb410ff61f20015ad");
    digest(two_blocks, sizeof(two_blocks) - 1, hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039"
                          "a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

/* A million 'a', fed in uneven pieces. */
START_TEST(million_a_in_pieces)
{
    static const size_t pieces[] = { 1, 3, 60, 64, 65, 127, 1000 };
    char *a = malloc(1000000), hex[65];
    struct sha256 c;
    size_t done = 0;

    ck_assert_ptr_nonnull(a);
    memset(a, 'a', 1000000);
    sha256_init(&c);
    for (size_t i = 0; done < 1000000; i++) {
        size_t n = pieces[i % (sizeof(pieces) / sizeof(pieces[0]))];

        if (n > 1000000 - done)
            n = 1000000 - done;
        sha256_update(&c, a + done, n);
        done += n;
    }
    sha256_final_hex(&c, hex);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
                          "f1809a48a497200e046d39ccc7112cd0");
    free(a);
}
END_TEST

/* 55 bytes leave room for the length in their block; 56 to 63 do not. */
START_TEST(padding_boundaries)
{
    static const struct {
        size_t len;
        const char *hex;
    } cases[] = {
        { 55, "d5e285683cd4efc02d021a5c62014694"
              "958901005d6f71e89e0989fac77e4072" },
        { 56, "04c26261370ee7541549d16dee320c72"
              "3e3fd14671e66a099afe0a377c16888e" },
        { 63, "75220b47218278e656f2013bb8f0c455"
              "a25eaf01e86c64924e9d48d89776d6f2" },
        { 64, "7ce100971f64e7001e8fe5a51973ecdf"
              "e1ced42befe7ee8d5fd6219506b5393c" },
        { 119, "000b48d4edf0fa7bee3c6236ecd2785b"
               "aa5db4eeb8bb54341b029e0d9fa5fb0c" },
    };
    char x[128], hex[65];

    memset(x, 'x', sizeof(x));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        digest(x, cases[i].len, hex);
        ck_assert_msg(strcmp(hex, cases[i].hex) == 0, "%zu bytes: %s",
                      cases[i].len, hex);
    }
}
END_TEST

static Suite *sha256_suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *tc = tcase_create("digest");

    tcase_add_test(tc, fips_examples);
    tcase_add_test(tc, million_a_in_pieces);
    tcase_add_test(tc, padding_boundaries);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sha256_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
