/* A full-size Fashion-MNIST-shaped IDX fixture (60000 / 10000 items) written
 * once per machine under the temporary folder and reused by later runs. */
#ifndef BLO_TEST_SHARED_FIXTURE_DIR_H
#define BLO_TEST_SHARED_FIXTURE_DIR_H

/* Its folder (g_free); created under a temporary name and renamed into place,
 * so concurrent test processes never see a half-written one. */
char *shared_fixture_dir(void);

#endif
