/* dmasim -- symbol visibility.  Do not include directly; use dmasim.h. */
#ifndef DMASIM_EXPORT_H
#define DMASIM_EXPORT_H
#if defined(DMASIM_STATIC_DEFINE)
#define DMASIM_API
#elif defined(__GNUC__)
#define DMASIM_API __attribute__((visibility("default")))
#else
#define DMASIM_API
#endif
#endif
