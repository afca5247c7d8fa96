/** The one fontkit call docroute makes (fontkit ships no types). */
declare module 'fontkit' {
  export function create(buffer: Uint8Array): unknown;
}
