/**
 * Pictures of what a CNN computes ({@code striate show}): {@link dev.striate.viz.ImageGrid}, the
 * reusable grid of labelled tiles written as PNG with the JDK's ImageIO;
 * {@link dev.striate.viz.ColorScale}, the symmetric colour scale around zero; and
 * {@link dev.striate.viz.Pictures}, the filter, feature-map, saliency and top-activation pictures
 * from plain arrays. Depends on {@code java.desktop} only (no compiler).
 */
package dev.striate.viz;
