"""What a PyTorch benchmark child records about its BLAS: the library torch loaded and, for
OpenBLAS, the kernel set it picked (openblas_get_corename: "Haswell" = AVX2 kernels,
"SkylakeX"/"Cooperlake" = AVX-512). Debian's torch links whatever libblas.so.3 the system's
alternatives point at; without OpenBLAS that is the reference BLAS, ~10x slower, and a
benchmark against it would flatter us, so every row says which one ran.
"""
import ctypes


def blas_core():
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.split()[-1].lower()})
    for path in libs:
        try:
            f = ctypes.CDLL(path).openblas_get_corename
        except (OSError, AttributeError):
            continue
        f.restype = ctypes.c_char_p
        return "openblas " + f().decode()
    return "reference BLAS (" + ", ".join(libs) + ")" if libs else "no BLAS loaded"
