#pragma once
// Three canonical geometry hashes (research note §3.3), lowercase hex SHA-256:
//
// exact  Same triangles in the same place. Coordinates are rounded as
//        decimal6() does (float32, then 6 significant decimal digits, as
//        OpenSCAD and assimp's 3MF writer print them with "%g"), so that
//        their re-exports hash like the input (tests/data/mesh-reexport);
//        -0 equals +0; vertices are ranked in lexicographic order, each
//        triangle is rotated so its smallest vertex comes first (keeping the
//        winding), triangles are sorted. Invariant to file format, header, vertex and triangle
//        order, rotation of a triangle's vertex list, indexed vs soup, 3MF
//        transforms the parser applied, and "%g" re-export. Not to exporters
//        that print fewer than 6 significant digits (or fixed decimals that
//        leave small values fewer), nor to the placement PrusaSlicer gives an
//        object on the bed (a translation).
// pose   (domain "trawl-mesh-pose-v2") The exact recipe, on the
//        coordinates as given (not decimal6(): it would add its noise to a
//        moved float32 copy), after moving the mesh into a canonical frame:
//        centred on the area-weighted surface centroid, axes from the
//        area-weighted surface covariance (largest
//        spread first; covariances below 1e-6 of the trace count as 0, so an
//        axis-aligned part keeps the coordinate axes), each axis sign fixed
//        by the sign of the third moment along it, scaled to unit RMS radius,
//        quantised to cells of 1/256 of that radius. The cell boundaries of
//        each axis sit in the middle of the widest gap between the vertices'
//        positions modulo one cell, so every vertex is as far from a boundary
//        as the data allows: the rounding noise of a "%g" re-export (up to
//        5e-6 of each coordinate, so growing with the distance a copy was
//        moved before printing) and a float32 copy's round-off flip no cell
//        while they stay below that margin; when that placement would
//        itself hang on noise (the two widest gaps within 1/100 cell, as for
//        a centrally symmetric part, or no gap wider than ~1/90 cell, as for
//        most meshes with thousands of vertices) the plain grid is used.
//        Invariant to translation, rotation and uniform scale (mm vs inch).
//        A mirror image is a different part (the third axis is the cross
//        product of the first two), so it hashes differently unless the part
//        is symmetric. Ambiguities (eigenvalues within 1 % of the largest,
//        third moments within 1e-4 of zero) are resolved by trying every
//        candidate frame and keeping the lexicographically smallest canonical
//        form; for a shape with isotropic spread (cube, sphere, cylinder
//        about its axis) the axes are arbitrary and only right-angle
//        rotations are guaranteed to give the same hash. A large mesh
//        (plain grid) can still flip when a coordinate lies within rounding
//        noise of a grid line: use the shape tier for fuzzy matching.
// shape  Tessellation-robust mass properties, each rounded to a bucket:
//        [0] round(20·λ2/λ1), [1] round(20·λ3/λ1)  (surface covariance eigenvalues)
//        [2] round(10·ln(A³/V²))  (scale-free compactness; −1 if the volume is ~0)
//        [3] round(20·e2/e1), [4] round(20·e3/e1)  (extents in the PCA frame, e1 ≥ e2 ≥ e3)
//        [5] connected component count
//        [6] Euler characteristic V − E + F (2 per closed part, minus 2 per
//            through-hole: tells a ring from a disc of the same spread)
//        The hash covers the bucket vector, which is returned too. Invariant
//        to translation, rotation, mirror, scale and re-triangulation of the
//        same surface (until a value crosses a bucket edge).
#include <cstdint>
#include <string>
#include <vector>

#include "mesh/measure.hpp"
#include "mesh/mesh.hpp"

namespace trawl::mesh {

struct ShapeSignature {
  std::vector<int64_t> buckets;
  std::string hash;
};

struct GeometryHashes {
  std::string exact;
  std::string pose;
  ShapeSignature shape;
};

std::string exact_hash(const Mesh& mesh);
std::string pose_hash(const Mesh& mesh);
/// `measures`, when given, must be measure_mesh(mesh): it saves a pass.
ShapeSignature shape_signature(const Mesh& mesh, const MeshMeasures* measures = nullptr);
/// All three, sharing the mass-property pass.
GeometryHashes geometry_hashes(const Mesh& mesh, const MeshMeasures* measures = nullptr);

}  // namespace trawl::mesh
