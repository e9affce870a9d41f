namespace QuantaProbe.Tests.Inference;

/// <summary>Vector arithmetic in double for comparing gradient rows.</summary>
internal static class GradientMath
{
    public static double Norm(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
            sum += (double)v * v;
        return Math.Sqrt(sum);
    }

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += (double)a[i] * b[i];
        return sum;
    }

    /// <summary>‖x − reference‖ / ‖reference‖.</summary>
    public static double RelativeError(ReadOnlySpan<float> x, ReadOnlySpan<float> reference)
    {
        if (x.Length != reference.Length)
            throw new ArgumentException($"lengths {x.Length} and {reference.Length} differ");
        double diff = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)x[i] - reference[i];
            diff += d * d;
        }
        return Math.Sqrt(diff) / Norm(reference);
    }

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot(a, b) / (Norm(a) * Norm(b));

    /// <summary>P_outᵀ · dW · P_in for dW [out,in], P_in [in,kIn], P_out [out,kOut]: [kOut,kIn] row-major.</summary>
    public static float[] Project(ReadOnlySpan<float> dW, int outDim, int inDim, float[] pIn, int kIn, float[] pOut, int kOut)
    {
        var right = new double[outDim * kIn];   // dW · P_in
        for (int o = 0; o < outDim; o++)
            for (int i = 0; i < inDim; i++)
            {
                double w = dW[o * inDim + i];
                for (int k = 0; k < kIn; k++)
                    right[o * kIn + k] += w * pIn[i * kIn + k];
            }
        var result = new float[kOut * kIn];
        for (int ko = 0; ko < kOut; ko++)
            for (int ki = 0; ki < kIn; ki++)
            {
                double sum = 0;
                for (int o = 0; o < outDim; o++)
                    sum += pOut[o * kOut + ko] * right[o * kIn + ki];
                result[ko * kIn + ki] = (float)sum;
            }
        return result;
    }

    /// <summary>bᵀ · P_out for b [out], P_out [out,kOut].</summary>
    public static float[] Project(ReadOnlySpan<float> db, float[] pOut, int kOut)
    {
        var result = new float[kOut];
        for (int k = 0; k < kOut; k++)
        {
            double sum = 0;
            for (int o = 0; o < db.Length; o++)
                sum += (double)db[o] * pOut[o * kOut + k];
            result[k] = (float)sum;
        }
        return result;
    }
}
