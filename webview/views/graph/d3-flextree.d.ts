// The part of d3-flextree (untyped) the tidy layout uses: `layout(root)` walks the `children` of plain objects and
// writes `x` (across siblings, the node's centre) and `y` (down the levels, the node's top) onto them.
declare module 'd3-flextree' {
  export interface FlextreeDatum {
    x: number;
    y: number;
    readonly children: readonly FlextreeDatum[];
  }
  export interface FlextreeOptions<T extends FlextreeDatum> {
    /** [extent across siblings, extent down the levels]. */
    nodeSize: (datum: T) => [number, number];
    spacing?: number | ((a: T, b: T) => number);
  }
  export type FlextreeLayout<T extends FlextreeDatum> = (root: T) => T;
  export function flextree<T extends FlextreeDatum>(options: FlextreeOptions<T>): FlextreeLayout<T>;
}
