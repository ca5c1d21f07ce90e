#pragma once
// The coordinate rounding shared by the exact and pose geometry hashes: a
// value as the exporters that print "%g" write it, float32 (binary STL's
// precision, what a float-based exporter holds) then rounded to 6
// significant decimal digits (OpenSCAD and assimp's 3MF writer print no
// more: tests/data/mesh-reexport). Rounding a value already written with 6
// to 9 digits gives the same result, so every such re-export hashes alike.

namespace trawl::mesh {

/// float32(v) rounded to 6 significant digits (ties to even, as printf
/// "%.5e" does), read back as the nearest double; -0 becomes +0, NaN and
/// infinities pass through as float32 gives them.
double decimal6(double v);

/// The same through std::to_chars / std::from_chars: the definition, slower.
/// decimal6() must equal it for every float (tests/mesh/decimal6_test.cpp).
double decimal6_reference(double v);

}  // namespace trawl::mesh
