namespace SequentialNet.Cuda;

/// <summary>
/// The one place where the backend's row-major GEMM meets column-major cuBLAS.
/// </summary>
/// <remarks>
/// A row-major matrix X(r, c) stored with row length ld is, read column-major with leading dimension ld,
/// the matrix Xᵀ(c, r): the same bytes, no copy. The backend wants, row-major,
/// <c>C(m,n) = α·op(A)·op(B) + β·C</c>. Transposing both sides gives <c>Cᵀ = α·op(B)ᵀ·op(A)ᵀ + β·Cᵀ</c>,
/// and every transposed matrix here is exactly what cuBLAS sees when it reads our row-major buffers:
/// <list type="bullet">
/// <item>Cᵀ is C's buffer read column-major: an (n × m) column-major matrix, ldc = n (C's row length).</item>
/// <item>op(B)ᵀ is (n × k). Without transB, B is stored (k, n), which read column-major already is Bᵀ
///   (n × k): no transpose, ld = n. With transB, B is stored (n, k); read column-major that is (k × n),
///   so cuBLAS must transpose it: op flag = transB, ld = k. Either way ld is B's stored row length.</item>
/// <item>op(A)ᵀ is (k × m), symmetrically: op flag = transA, ld = A's stored row length (m if transA, else k).</item>
/// </list>
/// So the column-major call is SGEMM(transB, transA, n, m, k, α, B, ldb, A, lda, β, C, n): swap the
/// operands and m with n, keep the transpose flags with their operands, and use the stored row lengths as
/// leading dimensions. cuBLAS does not read C when β = 0, so a poisoned C is overwritten cleanly.
/// </remarks>
internal static class GemmGateway
{
    /// <summary>Row-major C(m,n) = α·op(A)·op(B) + β·C on contiguous operands (see the remarks for the mapping).</summary>
    public static void RowMajor(IGpuDevice device, bool transA, bool transB, int m, int n, int k, float alpha, ulong a, ulong b, float beta, ulong c)
    {
        if (m == 0 || n == 0) return;
        int lda = transA ? m : k, ldb = transB ? k : n;
        // cuBLAS requires every leading dimension ≥ 1 even when k = 0 (then C = β·C).
        device.SgemmColumnMajor(transB, transA, n, m, k, alpha, b, Math.Max(1, ldb), a, Math.Max(1, lda), beta, c, n);
    }
}
