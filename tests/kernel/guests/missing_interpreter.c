// Linked with an interpreter (PT_INTERP) that exists nowhere: its execve
// must fail with ENOENT, and as the first program its run must name the path.
int main(void) {
    return 0;
}
